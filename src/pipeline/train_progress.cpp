#include "pipeline/train_progress.h"

#include <algorithm>
#include <cmath>

namespace bertcls::pipeline {

std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char buf[32];
  if (total >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", total / 60, total % 60);
  return buf;
}

TrainProgress::TrainProgress(std::FILE* out, bool live, std::int64_t log_every)
    : out_(out), live_(live), log_every_(log_every), started_(std::chrono::steady_clock::now()) {}

void TrainProgress::step(const StepReport& r) {
  const auto now = std::chrono::steady_clock::now();
  if (first_step_ < 0) first_step_ = r.step - 1;
  // The time left from this process's own pace: a resumed run has no earlier timings.
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  const double per_step = elapsed / static_cast<double>(std::max<std::int64_t>(1, r.step - first_step_));
  const std::string eta = format_duration(per_step * static_cast<double>(r.total_steps - r.step));
  if (live_) {
    // Redrawing faster than the eye reads only costs time.
    if (r.step != r.total_steps && line_open_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(kWidth * r.batch / std::max<std::int64_t>(1, r.batches_per_epoch));
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kWidth - filled), '.');
    std::fprintf(out_, "\r\033[2Kepoch %lld/%lld [%s] step %lld/%lld loss %.4f %.1f samples/s ETA %s",
                 static_cast<long long>(r.epoch), static_cast<long long>(r.epochs), bar.c_str(),
                 static_cast<long long>(r.step), static_cast<long long>(r.total_steps), r.loss, r.samples_per_second,
                 eta.c_str());
    std::fflush(out_);
    line_open_ = true;
    return;
  }
  if (log_every_ <= 0 || (r.step % log_every_ != 0 && r.step != r.total_steps)) return;
  std::fprintf(out_, "epoch %lld step %lld/%lld loss %.4f lr %.3g grad-norm %.3f, %.1f samples/s, ETA %s\n",
               static_cast<long long>(r.epoch), static_cast<long long>(r.step), static_cast<long long>(r.total_steps),
               r.loss, r.lr, r.grad_norm, r.samples_per_second, eta.c_str());
  std::fflush(out_);
}

void TrainProgress::epoch(const EpochReport& r) {
  char head[96];
  std::snprintf(head, sizeof head, "epoch %lld done: train loss %.4f", static_cast<long long>(r.epoch), r.train_loss);
  char speed[48];
  std::snprintf(speed, sizeof speed, ", %.1f samples/s", r.samples_per_second);
  message(head + (r.valid ? ", valid " + r.valid->summary() : std::string()) + (r.best ? " (best)" : "") + speed);
}

void TrainProgress::message(const std::string& text) {
  clear_live_line();
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

void TrainProgress::clear_live_line() {
  if (!line_open_) return;
  std::fprintf(out_, "\r\033[2K");
  line_open_ = false;
}

}  // namespace bertcls::pipeline
