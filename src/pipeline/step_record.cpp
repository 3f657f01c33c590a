#include "pipeline/step_record.h"

namespace bertcls::pipeline {

nlohmann::ordered_json step_record(const StepReport& r) {
  nlohmann::ordered_json record = {{"event", "step"},   {"epoch", r.epoch}, {"step", r.step},
                                   {"train_loss", r.loss}, {"lr", r.lr},    {"grad_norm", r.grad_norm},
                                   {"samples_per_second", r.samples_per_second}};
  // Data-parallel runs only: the step's time in messages and what this process sent.
  if (r.bytes_sent > 0 || r.communication_seconds > 0.0) {
    record["communication_seconds"] = r.communication_seconds;
    record["bytes_sent"] = r.bytes_sent;
  }
  return record;
}

}  // namespace bertcls::pipeline
