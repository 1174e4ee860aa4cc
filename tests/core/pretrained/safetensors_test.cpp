// The safetensors reader: values read back exactly, and each check of a hostile header refuses
// the file with an error that names it and the tensor or field.
#include "foldbench/pretrained/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "safetensors_writer.h"

namespace foldbench::pretrained {
namespace {

using ::testing::HasSubstr;
using namespace foldbench::pretrained::test_files;

// The error text of reading these bytes, or "" when they are accepted.
std::string refusal(const std::vector<std::uint8_t>& bytes) {
  try {
    SafetensorsFile::fromBytes(bytes, "bad.safetensors");
  } catch (const PretrainedError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::uint8_t> zeros(std::size_t n) { return std::vector<std::uint8_t>(n, 0); }

TEST(Safetensors, RoundTripF32FromAMappedFile) {
  TempDir dir;
  const std::vector<float> a = {0.f, 1.f, -2.5f, 3.25e-7f, 1e30f, -0.f};
  const std::vector<float> b = {42.f};
  writeFile(dir / "m.safetensors", serialize({{"a", "F32", {2, 3}, f32Bytes(a)}, {"b", "F32", {}, f32Bytes(b)}}));
  const auto file = SafetensorsFile::open((dir / "m.safetensors").string());
  ASSERT_EQ(file.entries().size(), 2u);
  const auto& ea = file.entry("a");
  EXPECT_EQ(ea.dtype, Dtype::F32);
  EXPECT_EQ(ea.shape, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(ea.begin, 0u);
  EXPECT_EQ(ea.end, 24u);
  EXPECT_EQ(file.entry("b").shape.size(), 0u);  // a scalar
  EXPECT_EQ(file.entry("b").begin, 24u);
  EXPECT_EQ(file.toFloat("a"), a);
  EXPECT_TRUE(std::signbit(file.toFloat("a")[5]));
  EXPECT_EQ(file.toFloat("b"), b);
  EXPECT_TRUE(file.metadata().empty());
  EXPECT_THROW(file.entry("c"), PretrainedError);
}

TEST(Safetensors, F16ConvertsExactlyIncludingSubnormalsInfinityAndNan) {
  EXPECT_EQ(halfToFloat(0x3C00), 1.0f);
  EXPECT_EQ(halfToFloat(0xC000), -2.0f);
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(halfToFloat(0x7BFF), 65504.0f);
  EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14));         // smallest normal
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));         // smallest subnormal
  EXPECT_EQ(halfToFloat(0x03FF), std::ldexp(1023.0f, -24));      // largest subnormal
  EXPECT_EQ(halfToFloat(0x8001), -std::ldexp(1.0f, -24));
  EXPECT_EQ(halfToFloat(0x0000), 0.0f);
  EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
  EXPECT_EQ(halfToFloat(0x7C00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(halfToFloat(0xFC00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(halfToFloat(0x7E00)));
  EXPECT_TRUE(std::isnan(halfToFloat(0x7C01)));

  const std::vector<std::uint16_t> bits = {0x3C00, 0x0001, 0x03FF, 0xFC00, 0x7E00, 0x8000};
  const auto file = SafetensorsFile::fromBytes(serialize({{"h", "F16", {6}, u16Bytes(bits)}}), "h.safetensors");
  const auto values = file.toFloat("h");
  ASSERT_EQ(values.size(), 6u);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    const float expected = halfToFloat(bits[i]);
    if (std::isnan(expected)) EXPECT_TRUE(std::isnan(values[i]));
    else EXPECT_EQ(values[i], expected) << i;
  }
  EXPECT_EQ(values[1], std::ldexp(1.0f, -24));
}

TEST(Safetensors, Bf16ConvertsExactlyIncludingSubnormalsInfinityAndNan) {
  EXPECT_EQ(bfloat16ToFloat(0x3F80), 1.0f);
  EXPECT_EQ(bfloat16ToFloat(0xC000), -2.0f);
  EXPECT_EQ(bfloat16ToFloat(0x3EAB), 0.333984375f);
  EXPECT_EQ(bfloat16ToFloat(0x0001), std::ldexp(1.0f, -133));    // smallest subnormal
  EXPECT_EQ(bfloat16ToFloat(0x0080), std::ldexp(1.0f, -126));    // smallest normal
  EXPECT_EQ(bfloat16ToFloat(0x7F7F), 3.3895313892515355e38f);    // largest finite
  EXPECT_TRUE(std::signbit(bfloat16ToFloat(0x8000)));
  EXPECT_EQ(bfloat16ToFloat(0x7F80), std::numeric_limits<float>::infinity());
  EXPECT_EQ(bfloat16ToFloat(0xFF80), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(bfloat16ToFloat(0x7FC0)));

  const std::vector<std::uint16_t> bits = {0x3F80, 0x0001, 0xFF80, 0x4049};
  const auto file = SafetensorsFile::fromBytes(serialize({{"w", "BF16", {2, 2}, u16Bytes(bits)}}), "b.safetensors");
  EXPECT_EQ(file.toFloat("w"),
            (std::vector<float>{1.0f, std::ldexp(1.0f, -133), -std::numeric_limits<float>::infinity(), 3.140625f}));
}

TEST(Safetensors, ToFloatRefusesIntegerTensorsAndWrongCounts) {
  const auto file =
      SafetensorsFile::fromBytes(serialize({{"embeddings.position_ids", "I64", {1, 2}, zeros(16)},
                                            {"w", "F32", {2}, f32Bytes({1.f, 2.f})}}),
                                 "m.safetensors");
  EXPECT_EQ(file.entry("embeddings.position_ids").dtype, Dtype::I64);  // listed
  try {
    file.toFloat("embeddings.position_ids");
    FAIL();
  } catch (const PretrainedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'embeddings.position_ids' is I64"));
  }
  float out[3];
  EXPECT_THROW(file.toFloat("w", out, 3), PretrainedError);
}

TEST(Safetensors, MetadataIsRead) {
  const auto file = SafetensorsFile::fromBytes(
      serialize({{"w", "F32", {1}, f32Bytes({1.f})}}, {{"format", "pt"}, {"note", "x y"}}), "m.safetensors");
  EXPECT_EQ(file.metadata().at("format"), "pt");
  EXPECT_EQ(file.metadata().at("note"), "x y");
  EXPECT_EQ(file.entries().size(), 1u);  // __metadata__ is not a tensor
  EXPECT_THAT(refusal(assemble(R"({"__metadata__":{"format":1}})", {})),
              HasSubstr("__metadata__ field 'format' is not a string"));
}

TEST(Safetensors, EmptyTensorsAndAnEmptyFileAreAccepted) {
  const auto file = SafetensorsFile::fromBytes(
      serialize({{"empty", "F32", {0, 4}, {}}, {"w", "F16", {1}, u16Bytes({0x3C00})}}), "m.safetensors");
  EXPECT_TRUE(file.toFloat("empty").empty());
  EXPECT_EQ(file.toFloat("w"), std::vector<float>{1.f});
  EXPECT_EQ(SafetensorsFile::fromBytes(serialize({}), "e.safetensors").entries().size(), 0u);
  // The reference writer pads with spaces; a header without padding is as valid.
  EXPECT_EQ(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", zeros(4), false)), "");
}

TEST(Safetensors, RefusesATruncatedFile) {
  EXPECT_THAT(refusal({1, 0, 0}), HasSubstr("bad.safetensors: truncated: 3 bytes"));
  TempDir dir;
  // An empty file cannot be memory-mapped; it is refused as truncated before mmap is tried.
  writeFile(dir / "empty.safetensors", {});
  try {
    SafetensorsFile::open((dir / "empty.safetensors").string());
    FAIL();
  } catch (const PretrainedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("empty.safetensors: truncated: 0 bytes"));
  }
  writeFile(dir / "short.safetensors", {8, 0, 0, 0});
  try {
    SafetensorsFile::open((dir / "short.safetensors").string());
    FAIL();
  } catch (const PretrainedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("short.safetensors: truncated"));
  }
  // Cut inside the data: the last tensor's offsets now run past the data section.
  auto bytes = serialize({{"a", "F32", {2}, f32Bytes({1, 2})}, {"b", "F32", {2}, f32Bytes({3, 4})}});
  bytes.resize(bytes.size() - 3);
  EXPECT_THAT(refusal(bytes), HasSubstr("tensor 'b': data_offsets [8,16] run past the data section (13 bytes)"));
}

TEST(Safetensors, RefusesAHeaderLengthPastTheEndOrOverTheLimit) {
  auto bytes = serialize({{"a", "F32", {1}, f32Bytes({1})}});
  bytes[0] = static_cast<std::uint8_t>(bytes.size());  // longer than what follows the 8 bytes
  EXPECT_THAT(refusal(bytes), HasSubstr("runs past the end of the file"));
  std::vector<std::uint8_t> huge = {0, 0, 0, 0, 0, 0, 0, 0x80};  // 2^63
  EXPECT_THAT(refusal(huge), HasSubstr("is over the limit of 100000000 bytes"));
  std::vector<std::uint8_t> justOver = zeros(16);
  const std::uint64_t n = kMaxSafetensorsHeader + 1;
  for (int i = 0; i < 8; ++i) justOver[i] = static_cast<std::uint8_t>(n >> (8 * i));
  EXPECT_THAT(refusal(justOver), HasSubstr("over the limit"));
}

TEST(Safetensors, RefusesAHeaderThatIsNotAJsonObjectWithUniqueKeys) {
  EXPECT_THAT(refusal(assemble("[1, 2]", {})), HasSubstr("header is not a JSON object"));
  EXPECT_THAT(refusal(assemble("{\"a\": ", {})), HasSubstr("header is not valid JSON"));
  EXPECT_THAT(refusal(assemble("{\"\xff\": 1}", {})), HasSubstr("header is not valid JSON"));
  EXPECT_THAT(refusal(assemble(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                               R"("a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                               zeros(4))),
              HasSubstr("header gives the key 'a' twice"));
  EXPECT_THAT(refusal(assemble(R"({"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}})", zeros(4))),
              HasSubstr("key 'dtype' twice"));
}

TEST(Safetensors, RefusesEntriesWithUnknownOrMissingFields) {
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"offsets":[0,4]}})", zeros(4))),
              HasSubstr("tensor 'w': unknown field 'offsets'"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", zeros(4))),
              HasSubstr("tensor 'w': unknown field 'x'"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", zeros(4))),
              HasSubstr("tensor 'w': missing field 'shape'"));
  EXPECT_THAT(refusal(assemble(R"({"w":[1]})", {})), HasSubstr("tensor 'w': entry is not a JSON object"));
}

TEST(Safetensors, RefusesAnUnknownDtype) {
  EXPECT_THAT(refusal(serialize({{"w", "F17", {1}, zeros(4)}})), HasSubstr("tensor 'w': unknown dtype 'F17'"));
  EXPECT_THAT(refusal(serialize({{"w", "f32", {1}, zeros(4)}})), HasSubstr("unknown dtype 'f32'"));
}

TEST(Safetensors, RefusesBadShapes) {
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})", {})),
              HasSubstr("tensor 'w': shape [-1] holds something other than a non-negative integer"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,0]}})", {})),
              HasSubstr("non-negative integer"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}})", {})),
              HasSubstr("more elements than 64 bits can count"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}})", {})),
              HasSubstr("more bytes than 64 bits can count"));
}

TEST(Safetensors, RefusesOffsetsThatAreNotAnOrderedPairInBounds) {
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", zeros(4))),
              HasSubstr("tensor 'w': data_offsets [4,0] begin after their end"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", zeros(4))),
              HasSubstr("is not a pair [begin, end]"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,-4]}})", zeros(4))),
              HasSubstr("is not a pair [begin, end]"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", zeros(8))),
              HasSubstr("tensor 'w': data_offsets [4,12] run past the data section (8 bytes)"));
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[18446744073709551612,18446744073709551616]}})", zeros(4))),
              HasSubstr("tensor 'w'"));
}

TEST(Safetensors, RefusesAByteCountThatDoesNotMatchShapeAndDtype) {
  // 12 bytes for two F32 values, the file otherwise consistent.
  EXPECT_THAT(refusal(assemble(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}})", zeros(12))),
              HasSubstr("tensor 'w': data_offsets [0,12] span 12 bytes, but shape [2] of F32 needs 8"));
  EXPECT_THAT(refusal(serialize({{"h", "BF16", {3}, zeros(8)}})), HasSubstr("of BF16 needs 6"));
}

TEST(Safetensors, RefusesOverlappingTensors) {
  EXPECT_THAT(refusal(assemble(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                               zeros(12))),
              HasSubstr("tensor 'b' [4, 12) overlaps tensor 'a' [0, 8)"));
  // The same range given to two names.
  EXPECT_THAT(refusal(assemble(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                               zeros(8))),
              HasSubstr("overlaps tensor 'a'"));
}

TEST(Safetensors, RefusesGapsAndTrailingBytesAsTheReferenceReaderDoes) {
  EXPECT_THAT(refusal(assemble(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                               R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                               zeros(12))),
              HasSubstr("4 bytes of the data section before tensor 'b' belong to no tensor"));
  auto bytes = serialize({{"a", "F32", {1}, f32Bytes({1})}});
  bytes.push_back(0);
  EXPECT_THAT(refusal(bytes), HasSubstr("1 bytes after the last tensor"));
}

TEST(Safetensors, OpenNamesAMissingFile) {
  try {
    SafetensorsFile::open("/nonexistent/model.safetensors");
    FAIL();
  } catch (const PretrainedError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/model.safetensors: cannot open"));
  }
}

}  // namespace
}  // namespace foldbench::pretrained
