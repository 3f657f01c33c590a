// Following a trajectory fixture (tools/make_bert_fixtures.py's train_steps): a few
// optimizer steps on one batch as `bertcls train` and `bertcls pretrain` compose them
// (AdamW in the Trainer's groups, the linear warm-up schedule, clipping; dropout off).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/bert_classifier.h"
#include "train/adamw.h"
#include "train/grad_clip.h"
#include "train/lr_schedule.h"

namespace bertcls::test {

struct TrajectoryDeviation {
  double loss = 0.0;    // the largest over the steps
  double logits = 0.0;  // the largest of the final logits (want[final_key])
};

// Runs want["steps"] steps on `batch`, EXPECTing each step's norm before clipping within
// 1e-4 relative of want["grad_norms"], then compares the logits of one more forward pass
// with want[final_key].
inline TrajectoryDeviation follow_trajectory(model::BertClassifier& model, const model::Batch& batch,
                                             const nlohmann::json& want, const std::string& final_key) {
  std::vector<train::ParamSegment> segments;
  for (const model::NamedParameter& np : model.named_parameters())
    segments.push_back({np.name, np.offset, np.count, np.trainable && train::trainer_applies_weight_decay(np.name)});
  train::AdamW adamw(segments, {.weight_decay = want["weight_decay"].get<double>()});
  const int steps = want["steps"];
  TrajectoryDeviation dev;
  for (int step = 0; step < steps; ++step) {
    model.forward(batch, {.backward = true});
    const float loss = model.loss(batch, {});
    model.zero_grad();
    model.backward();
    const float norm = train::clip_grad_norm(model.grads(), segments, want["max_grad_norm"].get<float>());
    EXPECT_NEAR(norm, want["grad_norms"][step].get<double>(), 1e-4 * want["grad_norms"][step].get<double>()) << step;
    dev.loss = std::max(dev.loss, std::fabs(loss - want["losses"][step].get<double>()));
    adamw.step(model.parameters(), model.grads(),
               want["lr"].get<double>() * train::linear_warmup_multiplier(step, want["warmup"], steps));
  }
  const auto logits = model.forward(batch, {});
  EXPECT_EQ(logits.size(), want[final_key].size());
  for (size_t i = 0; i < std::min(logits.size(), want[final_key].size()); ++i)
    dev.logits = std::max(dev.logits, std::fabs(logits[i] - want[final_key][i].get<double>()));
  return dev;
}

}  // namespace bertcls::test
