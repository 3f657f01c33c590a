// The picture of a training run: loss curves (train loss at logging steps and per epoch,
// validation loss per epoch) beside the validation metrics per epoch, as a standalone SVG
// that any browser opens. Drawn from the records of metrics.jsonl, so a resumed run's
// picture covers the whole run.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bertcls::train {

// records: metrics.jsonl lines; "event": "step" lines give step/train_loss, "event":
// "epoch" lines give step/train_loss/valid_loss and any valid_* metric. Records without
// those keys are skipped; no records gives empty charts.
std::string render_training_curves(const std::vector<nlohmann::json>& records);

}  // namespace bertcls::train
