// InputFile::release: parsers hand back pages they are done with; the data
// must stay readable (it comes back from the file).
#include "io/input_file.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace proctrace::testing {
namespace {

TEST(InputFileRelease, DataStaysReadableAfterRelease) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + "\n";
  write_file(dir.file("big"), text);
  InputFile in(dir.file("big"));
  ASSERT_EQ(in.data(), text);
  in.release(0, in.data().size() / 2);
  in.release(12345, 999);  // partial pages: only whole pages inside go
  in.release(in.data().size() - 10, 1000);  // past the end is clipped
  EXPECT_EQ(in.data(), text);
}

TEST(InputFileRelease, NoOpForInputsReadIntoMemory) {
  TempDir dir;
  write_file(dir.file("small"), "a\nb\n");
  InputFile in(dir.file("small"));
  in.release(0, 4);
  EXPECT_EQ(in.data(), "a\nb\n");
}

}  // namespace
}  // namespace proctrace::testing
