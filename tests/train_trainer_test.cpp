// The training loop end to end on a tiny random BERT and a task it can learn (keyword_task.h).
#include <gtest/gtest.h>

#include <algorithm>

#include <bertcls/error.h>
#include "train/trainer.h"
#include "support/keyword_task.h"

namespace bertcls::train {
namespace {

using test::fast_options;
using test::KeywordTask;
using test::tiny_config;

TEST(TrainTrainer, LearnsAKeywordTaskAndKeepsTheBestEpoch) {
  const KeywordTask train(128, 1), valid(64, 2);
  model::BertClassifier model(tiny_config(2), 7);
  int best_calls = 0;
  std::vector<StepReport> steps;
  TrainerCallbacks cb;
  cb.on_best = [&](const model::BertClassifier&) { ++best_calls; };
  cb.on_step = [&](const StepReport& r) { steps.push_back(r); };
  const auto valid_data = valid.data();
  const auto reports = fit(model, io::Task::SingleLabel, 2, train.data(), &valid_data, fast_options(), cb).epochs;
  ASSERT_EQ(reports.size(), 6u);
  EXPECT_EQ(reports.back().steps, 6 * 16);
  EXPECT_LT(reports.back().train_loss, 0.5 * reports.front().train_loss);
  EXPECT_GE(reports.back().valid->classification.accuracy, 0.95);
  EXPECT_EQ(best_calls, std::count_if(reports.begin(), reports.end(), [](const EpochReport& r) { return r.best; }));
  EXPECT_TRUE(reports.front().best);
  ASSERT_EQ(steps.size(), 6u * 16u);
  EXPECT_EQ(steps.back().step, steps.back().total_steps);
  EXPECT_EQ(steps.back().batch, steps.back().batches_per_epoch);
  // Evaluation agrees with itself and restores input order.
  const EvalResult again = evaluate(model.weights(), model.workspace(), valid.examples, valid.encoded, io::Task::SingleLabel, 5);
  EXPECT_DOUBLE_EQ(again.classification.accuracy, reports.back().valid->classification.accuracy);
  const auto logits = predict_logits(model.weights(), model.workspace(), valid.encoded, 64);
  for (std::size_t i = 0; i < valid.examples.size(); ++i) {
    const int pred = logits[2 * i + 1] > logits[2 * i] ? 1 : 0;
    if (again.classification.accuracy == 1.0) {
      EXPECT_EQ(pred, valid.examples[i].label) << i;
    }
  }
}

TEST(TrainTrainer, SameSeedGivesTheSameModel) {
  const KeywordTask train(48, 1);
  TrainerOptions o = fast_options();
  o.epochs = 2;
  model::BertClassifier a(tiny_config(2), 7), b(tiny_config(2), 7);
  fit(a, io::Task::SingleLabel, 2, train.data(), nullptr, o);
  fit(b, io::Task::SingleLabel, 2, train.data(), nullptr, o);
  EXPECT_TRUE(std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
  model::BertClassifier c(tiny_config(2), 7);
  o.seed = 4;
  fit(c, io::Task::SingleLabel, 2, train.data(), nullptr, o);
  EXPECT_FALSE(std::equal(a.parameters().begin(), a.parameters().end(), c.parameters().begin()));
}

TEST(TrainTrainer, MaxStepsAccumulationAndClassWeights) {
  const KeywordTask train(40, 1);
  TrainerOptions o = fast_options();
  o.max_steps = 4;
  o.grad_accum = 2;
  o.balanced_class_weights = true;
  model::BertClassifier model(tiny_config(2), 7);
  const auto reports = fit(model, io::Task::SingleLabel, 2, train.data(), nullptr, o).epochs;
  // 5 batches per epoch in groups of 2 -> 3 steps per epoch; 4 steps end in epoch 2.
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports.back().steps, 4);
}

TEST(TrainTrainer, ZeroLearningRateLeavesTheModelUnchanged) {
  const KeywordTask train(16, 1);
  TrainerOptions o = fast_options();
  o.epochs = 1;
  o.lr = 0.0;
  o.adamw.weight_decay = 0.01;
  model::BertClassifier model(tiny_config(2), 7);
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  fit(model, io::Task::SingleLabel, 2, train.data(), nullptr, o);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), model.parameters().begin()));
}

TEST(TrainTrainer, MultiLabelAndRegressionHeadsTrain) {
  const KeywordTask train(64, 1);
  // Sigmoid and identity heads start near 0 and must grow outputs of size 1: a larger step.
  TrainerOptions o = fast_options();
  o.epochs = 8;
  o.lr = 1e-2;
  model::BertClassifier multi(tiny_config(2), 7);
  const auto data = train.data();
  const auto m = fit(multi, io::Task::MultiLabel, 2, data, &data, o).epochs;
  EXPECT_GT(m.back().valid->multilabel.micro.f1, 0.9);
  EXPECT_EQ(multi.config().problem_type, model::ProblemType::multi_label_classification);
  model::BertClassifier reg(tiny_config(1), 7);
  const auto r = fit(reg, io::Task::Regression, 0, data, &data, o).epochs;
  EXPECT_LT(r.back().valid->regression.mse, 0.5);
  EXPECT_GT(r.back().valid->regression.pearson, 0.8);
}

TEST(TrainTrainer, HeadThatDoesNotFitTheLabelsIsAnError) {
  const KeywordTask train(8, 1);
  model::BertClassifier model(tiny_config(3), 7);
  EXPECT_THROW(fit(model, io::Task::SingleLabel, 2, train.data(), nullptr, fast_options()), Error);
  TrainerOptions o = fast_options();
  o.balanced_class_weights = true;
  model::BertClassifier multi(tiny_config(2), 7);
  EXPECT_THROW(fit(multi, io::Task::MultiLabel, 2, train.data(), nullptr, o), Error);
}

}  // namespace
}  // namespace bertcls::train
