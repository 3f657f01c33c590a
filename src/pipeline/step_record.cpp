#include "pipeline/step_record.h"

namespace bertcls::pipeline {

nlohmann::ordered_json step_record(const StepReport& r) {
  return {{"event", "step"},   {"epoch", r.epoch}, {"step", r.step},
          {"train_loss", r.loss}, {"lr", r.lr},    {"grad_norm", r.grad_norm},
          {"samples_per_second", r.samples_per_second}};
}

}  // namespace bertcls::pipeline
