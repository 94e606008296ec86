#!/usr/bin/env python3
"""Writes proctrace's man page and its bash, zsh and fish completions from the
real `proctrace --help` and `proctrace SUBCOMMAND --help` output.

    gen-cli-docs.py PROCTRACE_BINARY OUTPUT_DIR

Run at build time (CMakeLists.txt), so what is installed always describes the
binary beside it: a new subcommand or option needs no edit here. It reads
CLI11's help layout: sections ("Options:", "Subcommands:") and entries that
start two spaces in, with descriptions from column 30 and continuation lines
indented 30 spaces.
"""
import os
import re
import subprocess
import sys

DESCRIPTION_COLUMN = 30  # CLI11's default column width for option names


class Option:
    def __init__(self, names, value, description):
        self.names = names          # ["-o", "--output"]
        self.value = value          # "TEXT", "ENUM:...", or "" for a flag
        self.description = description
        self.choices = enum_choices(value)
        # Plain TEXT values are paths or free text: offer file names. Numbers,
        # durations and signals get no completion rather than wrong ones.
        self.takes_path = value.split(" ")[0] == "TEXT"


class Command:
    def __init__(self, name, summary):
        self.name = name
        self.summary = summary
        self.usage = ""
        self.options = []
        self.positionals = []       # [(name, description)]


def run_help(binary, args):
    # The help goes to stdout and exits 0; anything else is a broken build.
    env = dict(os.environ, PROCTRACE_LOG="off")
    return subprocess.run([binary, *args, "--help"], check=True, capture_output=True, text=True, env=env).stdout


def enum_choices(value):
    # "ENUM:value in {auto->0,bpf->1} OR {0,1}=auto" -> ["auto", "bpf"]
    match = re.match(r"ENUM:value in \{([^}]*)\}", value)
    if not match:
        return []
    return [item.split("->")[0] for item in match.group(1).split(",")]


def split_entry(line):
    """'  -o,--output TEXT      desc' -> ('-o,--output TEXT', 'desc')."""
    if len(line) > DESCRIPTION_COLUMN and line[DESCRIPTION_COLUMN - 1] == " " and line[DESCRIPTION_COLUMN] != " ":
        return line[:DESCRIPTION_COLUMN].strip(), line[DESCRIPTION_COLUMN:].strip()
    return line.strip(), ""  # the name overflowed: the description is on the next lines


def parse_sections(text):
    """Returns (first line, usage, {section: [(head, description lines)]})."""
    lines = text.splitlines()
    summary = lines[0].strip() if lines else ""
    usage = ""
    sections = {}
    current = None
    for line in lines[1:]:
        if line.startswith("Usage: "):
            usage = line[len("Usage: "):].strip()
        elif re.match(r"^[A-Z][A-Za-z ]*:$", line):
            current = sections.setdefault(line[:-1], [])
        elif current is None or not line.strip():
            continue
        elif line.startswith(" " * DESCRIPTION_COLUMN) and current:
            current[-1][1].append(line.strip())
        elif line.startswith("  ") and line[2] != " ":
            head, description = split_entry(line)
            current.append((head, [description] if description else []))
    return summary, usage, sections


def parse_options(entries):
    options = []
    for head, description in entries:
        names_text, _, value = head.partition(" ")
        names = [re.sub(r"\{.*\}$", "", name) for name in names_text.split(",")]
        options.append(Option(names, value.strip(), description))
    return options


def read_cli(binary):
    summary, usage, sections = parse_sections(run_help(binary, []))
    root = Command("proctrace", summary)
    root.usage = usage
    root.options = parse_options(sections.get("Options", []))
    commands = []
    for head, description in sections.get("Subcommands", []):
        name = head.split()[0]
        sub_summary, sub_usage, sub_sections = parse_sections(run_help(binary, [name]))
        command = Command(name, " ".join(description) or sub_summary)
        command.usage = sub_usage
        command.options = parse_options(sub_sections.get("Options", []))
        command.positionals = [(h.split()[0], " ".join(d)) for h, d in sub_sections.get("Positionals", [])]
        commands.append(command)
    if not commands:
        sys.exit("gen-cli-docs: `%s --help` lists no subcommands" % binary)
    return root, commands


def version_of(binary):
    out = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True).stdout.split()
    return out[-1] if out else ""


# --- man page ---------------------------------------------------------------

def roff(text):
    """Plain text as roff: backslashes and hyphens escaped, no line read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in (".", "'") else line for line in text.split("\n"))


def man_option(option):
    names = ", ".join("\\fB%s\\fR" % roff(name) for name in option.names)
    value = "|".join(option.choices) or option.value  # "auto|bpf|strace", not CLI11's enum map
    value = " \\fI%s\\fR" % roff(value) if value else ""
    return ".TP\n%s%s\n%s\n" % (names, value, roff("\n".join(option.description)))


def man_page(root, commands, version):
    out = ['.TH PROCTRACE 1 "" "proctrace %s" "User Commands"\n' % roff(version)]
    out.append(".SH NAME\nproctrace \\- %s\n" % roff(root.summary.split(": ", 1)[-1]))
    out.append(".SH SYNOPSIS\n.B proctrace\n.I command\n[\\fIoptions\\fR] [\\fIarguments\\fR]\n")
    out.append(".SH DESCRIPTION\nproctrace: %s.\nEach command below prints the same text with \\fBproctrace\\fR "
               "\\fIcommand\\fR \\fB\\-\\-help\\fR.\n" % roff(root.summary.split(": ", 1)[-1]))
    out.append(".SH OPTIONS\n")
    out.extend(man_option(option) for option in root.options)
    out.append(".SH COMMANDS\n")
    for command in commands:
        out.append('.SS "%s"\n%s\n' % (roff(command.usage), roff(command.summary)))
        for name, description in command.positionals:
            out.append(".TP\n\\fI%s\\fR\n%s\n" % (roff(name), roff(description)))
        out.extend(man_option(option) for option in command.options)
    out.append(".SH ENVIRONMENT\n.TP\n.B PROCTRACE_LOG\nLevel of proctrace's own messages on stderr "
               "(trace, debug, info, warn, error, off).\n"
               ".TP\n.B GITHUB_STEP_SUMMARY\n\\fBrecord \\-\\-report\\-dir\\fR appends summary.md to this file.\n")
    out.append(".SH SEE ALSO\n.BR strace (1),\n.BR setcap (8)\n")
    return "".join(out)


# --- completions ------------------------------------------------------------

def all_names(options):
    return " ".join(name for option in options for name in option.names)


def value_names(options):
    return " ".join(name for option in options if option.value for name in option.names)


def bash_completion(root, commands):
    names = " ".join(command.name for command in commands)
    cases = []
    for command in commands:
        cases.append("    %s) options='%s'; values='%s' ;;" % (
            command.name, all_names(command.options), value_names(command.options)))
    choices = []
    for command in commands:
        for option in command.options:
            if option.choices:
                for name in option.names:
                    choices.append("      '%s %s') choices='%s' ;;" % (command.name, name, " ".join(option.choices)))
    return """# bash completion for proctrace; generated from its --help by scripts/gen-cli-docs.py
_proctrace() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands='%(names)s' command='' i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -- ]]; then
      # After `record ... --` comes the command to record: complete it as one.
      COMPREPLY=()
      if ((i + 1 == COMP_CWORD)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
      return
    fi
    if [[ -z $command && " $commands " == *" $word "* ]]; then command=$word; fi
  done
  if [[ -z $command ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands %(root)s" -- "$cur")
    return
  fi
  local options='' values='' choices=''
  case $command in
%(cases)s
  esac
  case "$command $prev" in
%(choices)s
  esac
  if [[ -n $choices ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
  elif [[ " $values " == *" $prev "* ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  elif [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
complete -o filenames -F _proctrace proctrace
""" % {"names": names, "root": all_names(root.options), "cases": "\n".join(cases), "choices": "\n".join(choices)}


def first_sentence(lines, limit=80):
    text = " ".join(lines)
    # A sentence ends at ". " or "; " after a word, not after "e.g.".
    text = re.split(r"(?<=[a-z]{2}[.;])\s", text, maxsplit=1)[0].rstrip(".;")
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_option_specs(options):
    specs = []
    for option in options:
        description = re.sub(r"([\[\]\\:])", r"\\\1", first_sentence(option.description))
        for name in option.names:
            spec = "%s[%s]" % (name, description)
            if option.choices:
                spec += ":value:(%s)" % " ".join(option.choices)
            elif option.takes_path:
                spec += ":value:_files"
            elif option.value:
                spec += ":value: "
            specs.append(zsh_quote(spec))
    return specs


def zsh_completion(root, commands):
    described = [zsh_quote("%s:%s" % (c.name, first_sentence([c.summary]).replace(":", "\\:"))) for c in commands]
    cases = []
    for command in commands:
        # record runs a command: complete it (and its own arguments) as zsh would.
        rest = "'*:: :_normal'" if command.name == "record" else "'*:file:_files'"
        specs = " \\\n        ".join(zsh_option_specs(command.options) + [rest])
        cases.append("    %s)\n      _arguments -s \\\n        %s\n      ;;" % (command.name, specs))
    return """#compdef proctrace
# zsh completion for proctrace; generated from its --help by scripts/gen-cli-docs.py
_proctrace() {
  local -a commands
  commands=(
    %(described)s
  )
  local curcontext=$curcontext state line
  _arguments -C %(root)s '1: :->command' '*:: :->arguments'
  case $state in
  command) _describe -t commands 'proctrace command' commands ;;
  arguments)
    case $words[1] in
%(cases)s
    esac
    ;;
  esac
}
_proctrace "$@"
""" % {"described": "\n    ".join(described), "root": " ".join(zsh_option_specs(root.options)),
       "cases": "\n".join(cases)}


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_option(condition, option):
    parts = ["complete -c proctrace -n %s" % fish_quote(condition)]
    for name in option.names:
        parts.append(("-l %s" if name.startswith("--") else "-s %s") % name.lstrip("-"))
    if option.choices:
        parts.append("-x -a %s" % fish_quote(" ".join(option.choices)))
    elif option.takes_path:
        parts.append("-r -F")
    elif option.value:
        parts.append("-x")
    parts.append("-d %s" % fish_quote(first_sentence(option.description)))
    return " ".join(parts)


def fish_completion(root, commands):
    out = ["# fish completion for proctrace; generated from its --help by scripts/gen-cli-docs.py",
           "complete -c proctrace -f"]
    out.extend(fish_option("__fish_use_subcommand", option) for option in root.options)
    for command in commands:
        out.append("complete -c proctrace -n __fish_use_subcommand -a %s -d %s" % (
            command.name, fish_quote(first_sentence([command.summary]))))
    for command in commands:
        condition = "__fish_seen_subcommand_from %s" % command.name
        out.extend(fish_option(condition, option) for option in command.options)
        if command.positionals:  # inputs are files; record's command is a program
            out.append("complete -c proctrace -n %s -F" % fish_quote(condition))
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-cli-docs.py PROCTRACE_BINARY OUTPUT_DIR")
    binary, out_dir = sys.argv[1], sys.argv[2]
    root, commands = read_cli(binary)
    os.makedirs(out_dir, exist_ok=True)
    files = {
        "proctrace.1": man_page(root, commands, version_of(binary)),
        "proctrace.bash": bash_completion(root, commands),
        "_proctrace": zsh_completion(root, commands),
        "proctrace.fish": fish_completion(root, commands),
    }
    for name, text in files.items():
        # Written beside and renamed: a failed run never leaves half a file.
        path = os.path.join(out_dir, name)
        with open(path + ".tmp", "w") as out:
            out.write(text)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
