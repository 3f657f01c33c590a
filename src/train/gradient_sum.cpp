#include "train/gradient_sum.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <bertcls/error.h>
#include "tensor/threads.h"

namespace bertcls::train {
namespace {

// Wire form: u64 row count, f64 loss, the dense values (everything before the rows
// segment, then everything after it; left out of a rows piece), the row ids (i32), the
// rows' values. Every field starts at a multiple of 4 bytes.
constexpr std::size_t kHeader = sizeof(std::uint64_t) + sizeof(double);

void add_into(float* acc, const float* x, std::size_t n) {
#pragma omp parallel for simd if (tensor::worth_parallel(static_cast<long>(n)))
  for (std::size_t i = 0; i < n; ++i) acc[i] += x[i];
}

template <typename T>
void put(std::byte*& at, const T* values, std::size_t n) {
  std::memcpy(at, values, n * sizeof(T));
  at += n * sizeof(T);
}

Error bad_row(std::int64_t row, std::size_t rows) {
  return Error("gradient: row " + std::to_string(row) + " is outside the " + std::to_string(rows) + " rows");
}

}  // namespace

GradientSum::GradientSum(std::span<const ParamSegment> segments, std::size_t size) : values_(size, 0.0f) {
  for (const ParamSegment& s : segments)
    if (s.row_size > 0) {
      row_offset_ = s.offset;
      row_size_ = s.row_size;
      row_count_ = s.size / s.row_size;
    }
  row_in_sum_.assign(row_count_, 0);
  row_added_.assign(row_count_, 0);
}

template <typename F>
void GradientSum::for_dense(std::size_t lo, std::size_t hi, F f) const {
  if (lo > hi || hi > dense_size()) throw Error("gradient: values " + std::to_string(lo) + ".." + std::to_string(hi) +
                                                " are outside the " + std::to_string(dense_size()));
  const std::size_t rows_length = row_count_ * row_size_;
  if (lo < row_offset_) f(lo, lo, std::min(hi, row_offset_) - lo);
  if (hi > row_offset_) {
    const std::size_t from = std::max(lo, row_offset_);
    f(from + rows_length, from, hi - from);
  }
}

// values: the rows' values, row q at values + q * stride (stride 0: at the row's own place).
void GradientSum::add_row_values(std::span<const std::int32_t> rows, const float* values, std::size_t stride) {
  ++adds_;
  for (std::size_t q = 0; q < rows.size(); ++q) {
    const std::int32_t row = rows[q];
    if (row < 0 || static_cast<std::size_t>(row) >= row_count_) throw bad_row(row, row_count_);
    const auto r = static_cast<std::size_t>(row);
    if (row_added_[r] == adds_) throw Error("gradient: row " + std::to_string(row) + " is listed twice");
    row_added_[r] = adds_;
    float* acc = values_.data() + row_offset_ + r * row_size_;
    const float* x = stride ? values + q * stride : values + r * row_size_;
    for (std::size_t i = 0; i < row_size_; ++i) acc[i] += x[i];
    if (!row_in_sum_[r]) {
      row_in_sum_[r] = 1;
      rows_.push_back(row);
    }
  }
}

GradientSum::Decoded GradientSum::decode(const EncodedGradient& encoded, bool with_dense) const {
  std::uint64_t rows = 0;
  double loss = 0.0;
  if (encoded.size() >= kHeader) {
    std::memcpy(&rows, encoded.data(), sizeof rows);
    std::memcpy(&loss, encoded.data() + sizeof rows, sizeof loss);
  }
  const std::size_t dense_bytes = with_dense ? dense_size() * sizeof(float) : 0;
  if (encoded.size() < kHeader || rows > row_count_ ||
      encoded.size() != kHeader + dense_bytes + rows * (sizeof(std::int32_t) + row_size_ * sizeof(float)))
    throw Error("gradient: a message of " + std::to_string(encoded.size()) + " bytes does not fit this model's " +
                std::to_string(values_.size()) + " parameters");
  const std::byte* at = encoded.data() + kHeader;
  const auto* dense = reinterpret_cast<const float*>(at);
  const auto* ids = reinterpret_cast<const std::int32_t*>(at + dense_bytes);
  const auto* row_values = reinterpret_cast<const float*>(at + dense_bytes + rows * sizeof(std::int32_t));
  return {dense, {ids, static_cast<std::size_t>(rows)}, row_values, loss};
}

void GradientSum::add(std::span<const float> grads, std::span<const std::int32_t> touched_rows, double loss) {
  add_dense(0, dense_size(), grads);
  add_rows(grads, touched_rows, loss);
}

void GradientSum::add(const EncodedGradient& encoded) {
  add_dense(0, dense_size(), encoded);
  add_rows(encoded);
}

void GradientSum::add_dense(std::size_t lo, std::size_t hi, std::span<const float> grads) {
  if (grads.size() != values_.size()) throw Error("gradient: sizes differ");
  for_dense(lo, hi, [&](std::size_t v, std::size_t, std::size_t n) { add_into(values_.data() + v, grads.data() + v, n); });
}

void GradientSum::add_dense(std::size_t lo, std::size_t hi, const EncodedGradient& encoded) {
  const Decoded d = decode(encoded, true);
  for_dense(lo, hi, [&](std::size_t v, std::size_t i, std::size_t n) { add_into(values_.data() + v, d.dense + i, n); });
}

void GradientSum::add_rows(std::span<const float> grads, std::span<const std::int32_t> touched_rows, double loss) {
  if (grads.size() != values_.size()) throw Error("gradient: sizes differ");
  add_row_values(touched_rows, grads.data() + row_offset_, 0);
  loss_ += loss;
}

void GradientSum::add_rows(const EncodedGradient& encoded) {
  const Decoded d = decode(encoded, true);
  add_row_values(d.rows, d.row_values, row_size_);
  loss_ += d.loss;
}

void GradientSum::encode_dense(std::size_t lo, std::size_t hi, EncodedGradient& out) const {
  out.resize((hi - lo) * sizeof(float));
  for_dense(lo, hi, [&](std::size_t v, std::size_t i, std::size_t n) {
    std::memcpy(out.data() + (i - lo) * sizeof(float), values_.data() + v, n * sizeof(float));
  });
}

void GradientSum::assign_dense(std::size_t lo, const EncodedGradient& piece) {
  if (piece.size() % sizeof(float) != 0) throw Error("gradient: a piece of " + std::to_string(piece.size()) + " bytes");
  for_dense(lo, lo + piece.size() / sizeof(float), [&](std::size_t v, std::size_t i, std::size_t n) {
    std::memcpy(values_.data() + v, piece.data() + (i - lo) * sizeof(float), n * sizeof(float));
  });
}

void GradientSum::encode_rows(EncodedGradient& out) const {
  out.resize(kHeader + rows_.size() * (sizeof(std::int32_t) + row_size_ * sizeof(float)));
  std::byte* at = out.data();
  const std::uint64_t rows = rows_.size();
  put(at, &rows, 1);
  put(at, &loss_, 1);
  put(at, rows_.data(), rows_.size());
  for (std::int32_t row : rows_) put(at, values_.data() + row_offset_ + static_cast<std::size_t>(row) * row_size_, row_size_);
}

// Copies, not +0 + x: the process that sent the sum keeps its -0s, and so must this one.
void GradientSum::copy_rows(const Decoded& d) {
  for (std::int32_t row : rows_) {
    std::fill_n(values_.data() + row_offset_ + static_cast<std::size_t>(row) * row_size_, row_size_, 0.0f);
    row_in_sum_[static_cast<std::size_t>(row)] = 0;
  }
  rows_.clear();
  for (std::size_t q = 0; q < d.rows.size(); ++q) {
    const auto r = static_cast<std::size_t>(d.rows[q]);
    if (d.rows[q] < 0 || r >= row_count_) throw bad_row(d.rows[q], row_count_);
    if (row_in_sum_[r]) throw Error("gradient: row " + std::to_string(r) + " is listed twice");
    std::copy_n(d.row_values + q * row_size_, row_size_, values_.data() + row_offset_ + r * row_size_);
    row_in_sum_[r] = 1;
    rows_.push_back(d.rows[q]);
  }
  loss_ = d.loss;
}

void GradientSum::assign_rows(const EncodedGradient& piece) { copy_rows(decode(piece, false)); }

void GradientSum::assign(const EncodedGradient& encoded) {
  const Decoded d = decode(encoded, true);
  const std::size_t rows_end = row_offset_ + row_count_ * row_size_;
  std::copy_n(d.dense, row_offset_, values_.data());
  std::copy_n(d.dense + row_offset_, values_.size() - rows_end, values_.data() + rows_end);
  copy_rows(d);
}

void GradientSum::clear() {
  const std::size_t rows_end = row_offset_ + row_count_ * row_size_;
  std::fill(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(row_offset_), 0.0f);
  std::fill(values_.begin() + static_cast<std::ptrdiff_t>(rows_end), values_.end(), 0.0f);
  for (std::int32_t row : rows_) {
    std::fill_n(values_.data() + row_offset_ + static_cast<std::size_t>(row) * row_size_, row_size_, 0.0f);
    row_in_sum_[static_cast<std::size_t>(row)] = 0;
  }
  rows_.clear();
  loss_ = 0.0;
}

void GradientSum::touch_all_rows() {
  for (std::size_t r = 0; r < row_count_; ++r)
    if (!row_in_sum_[r]) {
      row_in_sum_[r] = 1;
      rows_.push_back(static_cast<std::int32_t>(r));
    }
}

void GradientSum::encode(std::span<const float> grads, std::span<const std::int32_t> touched_rows, double loss,
                         EncodedGradient& out) const {
  const std::size_t rows_end = row_offset_ + row_count_ * row_size_;
  out.resize(kHeader + dense_size() * sizeof(float) + touched_rows.size() * (sizeof(std::int32_t) + row_size_ * sizeof(float)));
  std::byte* at = out.data();
  const std::uint64_t rows = touched_rows.size();
  put(at, &rows, 1);
  put(at, &loss, 1);
  put(at, grads.data(), row_offset_);
  put(at, grads.data() + rows_end, grads.size() - rows_end);
  put(at, touched_rows.data(), touched_rows.size());
  for (std::int32_t row : touched_rows) put(at, grads.data() + row_offset_ + static_cast<std::size_t>(row) * row_size_, row_size_);
}

}  // namespace bertcls::train
