// The metrics.jsonl record of an optimizer step ("event": "step"), shared by fine-tuning
// and pre-training (which adds its own fields to it).
#pragma once

#include <nlohmann/json.hpp>

#include <bertcls/metrics.h>

namespace bertcls::pipeline {

nlohmann::ordered_json step_record(const StepReport& r);

}  // namespace bertcls::pipeline
