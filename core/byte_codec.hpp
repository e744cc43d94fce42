// Big-endian byte writer and bounds-checked reader for Kafka-style binary records: the
// mapping record (core/mapping_record) and the records of __consumer_offsets
// (core/consumer_offsets_record). Every read reports failure instead of reading past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace k2k::core {

class byte_writer {
public:
  void u8(uint8_t v) { out.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { big_endian(v, 2); }
  void u32(uint32_t v) { big_endian(v, 4); }
  void i32(int32_t v) { big_endian(static_cast<uint32_t>(v), 4); }
  void i64(int64_t v) { big_endian(static_cast<uint64_t>(v), 8); }
  void uvarint(uint64_t v) {
    for (; v >= 0x80; v >>= 7)
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    out.push_back(static_cast<char>(v));
  }
  void str(std::string_view s) { // int16 length, then the bytes
    u16(static_cast<uint16_t>(s.size()));
    out.append(s);
  }
  std::string out;

private:
  void big_endian(uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
      out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
};

class byte_reader {
public:
  explicit byte_reader(std::string_view in) : in_(in) {}

  bool u8(uint8_t& v) { return read(v, 1); }
  bool u16(uint16_t& v) { return read(v, 2); }
  bool u32(uint32_t& v) { return read(v, 4); }
  bool i16(int16_t& v) {
    uint16_t u;
    if (!read(u, 2))
      return false;
    v = static_cast<int16_t>(u);
    return true;
  }
  bool i32(int32_t& v) {
    uint32_t u;
    if (!read(u, 4))
      return false;
    v = static_cast<int32_t>(u);
    return true;
  }
  bool i64(int64_t& v) {
    uint64_t u;
    if (!read(u, 8))
      return false;
    v = static_cast<int64_t>(u);
    return true;
  }
  // Unsigned LEB128 as Kafka's flexible versions write it; at most 10 bytes.
  bool uvarint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      uint8_t b;
      if (!u8(b))
        return false;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80))
        return true;
    }
    return false;
  }
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }
  bool bytes(std::string_view& out, size_t n) {
    if (remaining() < n)
      return false;
    out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }

private:
  template <class T> bool read(T& v, int n) {
    if (remaining() < static_cast<size_t>(n))
      return false;
    uint64_t acc = 0;
    for (int i = 0; i < n; ++i)
      acc = (acc << 8) | static_cast<uint8_t>(in_[pos_ + static_cast<size_t>(i)]);
    pos_ += static_cast<size_t>(n);
    v = static_cast<T>(acc);
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

} // namespace k2k::core
