#include "analyze/json_out.h"

namespace proctrace {

void write_json(OutputFile& out, const Json& doc) {
  out.write(doc.dump(2, ' ', false, Json::error_handler_t::replace));
  out.write("\n");
}

Json exit_json(const Process& p) {
  if (p.exit.code) return Json{{"code", *p.exit.code}};
  if (p.exit.signal) return Json{{"signal", *p.exit.signal}, {"core_dumped", p.exit.core_dumped}};
  return nullptr;
}

}  // namespace proctrace
