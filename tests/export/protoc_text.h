// protoc's text format (`protoc --decode=TYPE`) read back as a tree, for
// the tests that decode what the protobuf exports wrote with a real
// protobuf implementation rather than with our own encoder's idea of it.
#pragma once

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

namespace proctrace::testing {

// protoc's text format as a tree: `key { ... }` nodes and `key: value` leaves.
struct Node {
  std::string key, value;
  std::vector<Node> children;
  const Node* child(const std::string& k) const {
    for (auto& c : children)
      if (c.key == k) return &c;
    return nullptr;
  }
  std::string get(const std::string& k) const {
    const Node* c = child(k);
    return c ? c->value : "";
  }
};

inline Node parse_text_format(const std::string& text) {
  Node root;
  std::vector<Node*> stack{&root};
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line.erase(0, line.find_first_not_of(' '));
    if (line.empty()) continue;
    if (line == "}") {
      stack.pop_back();
    } else if (line.back() == '{') {
      Node& n = stack.back()->children.emplace_back();
      n.key = line.substr(0, line.find(' '));
      stack.push_back(&n);
    } else {
      Node& n = stack.back()->children.emplace_back();
      auto colon = line.find(": ");
      n.key = line.substr(0, colon);
      n.value = line.substr(colon + 2);
      if (n.value.size() >= 2 && n.value.front() == '"') n.value = n.value.substr(1, n.value.size() - 2);
    }
  }
  return root;
}

// The bytes of a text-format string literal: protoc writes non-printable
// and non-ASCII bytes as octal escapes (\\NNN) and escapes \\ " ' \\n \\r \\t.
inline std::string c_unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    if (c >= '0' && c <= '7') {
      int v = 0;
      for (int k = 0; k < 3 && i < text.size() && text[i] >= '0' && text[i] <= '7'; ++k, ++i) v = v * 8 + (text[i] - '0');
      --i;
      out += static_cast<char>(v);
    } else if (c == 'x') {
      int v = 0;
      for (int k = 0; k < 2 && i + 1 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])); ++k)
        v = v * 16 + std::stoi(std::string(1, text[++i]), nullptr, 16);
      out += static_cast<char>(v);
    } else {
      out += c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
    }
  }
  return out;
}

}  // namespace proctrace::testing
