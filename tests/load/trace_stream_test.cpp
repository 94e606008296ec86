#include "load/trace_stream.h"

#include <gtest/gtest.h>

namespace proctrace {
namespace {

TEST(TraceStream, OrderScanFindsInversions) {
  EXPECT_TRUE(streams_in_order("{\"Meta\":{\"start_timestamp\":9}}\n{\"Fork\":{\"timestamp\":1}}\n"
                                  "{\"Exec\":{\"timestamp\":1,\"cmdline\":[\"\\\"timestamp\\\":0\"]}}\n"));
  EXPECT_FALSE(streams_in_order("{\"Fork\":{\"timestamp\":5}}\n{\"Exit\":{\"timestamp\":4}}\n"));
  // Views write Meta first: a Meta line after events needs the loader.
  EXPECT_FALSE(streams_in_order("{\"Fork\":{\"timestamp\":5}}\n{\"Meta\":{\"start_timestamp\":9}}\n"));
}

}  // namespace
}  // namespace proctrace
