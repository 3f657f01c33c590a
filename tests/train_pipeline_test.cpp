// The pieces of `bertcls train` composed on the tutorial's sample data: read the CSV,
// hold out a stratified validation split, tokenize with rubert-tiny2's tokenizer, and
// fit a tiny random BERT of that vocabulary for one epoch.
#include <gtest/gtest.h>

#include <cmath>

#include "io/dataset.h"
#include "text/tokenizer.h"
#include "pipeline/text_encoder.h"
#include "train/trainer.h"
#include "train/valid_split.h"
#include "support/tiny_model.h"

namespace bertcls::train {
namespace {

std::vector<io::Example> pick(const std::vector<io::Example>& all, const std::vector<std::size_t>& indices) {
  std::vector<io::Example> out;
  for (std::size_t i : indices) out.push_back(all[i]);
  return out;
}

TEST(TrainPipeline, SampleCsvToOneTrainedEpoch) {
  const std::string root = BERTCLS_SOURCE_DIR;
  const io::Dataset data = io::read_dataset(root + "/data/rutweetcorp-sample/valid.csv", {});
  ASSERT_EQ(data.labels.id2label(), (std::vector<std::string>{"0", "1"}));
  const TrainValidSplit split = split_train_valid(data.examples, data.task, 0.1, 42);
  EXPECT_EQ(split.valid.size(), (data.examples.size() + 9) / 10);
  const auto train = pick(data.examples, split.train), valid = pick(data.examples, split.valid);

  const auto tokenizer = text::Tokenizer::from_directory(root + "/data/rubert-tiny2");
  const pipeline::TextEncoder encoder(tokenizer, 64, {64, LongTexts::Truncate, std::nullopt, WindowPooling::Mean});
  const EncodedExamples train_enc = encoder.encode(train, "valid.csv");
  const EncodedExamples valid_enc = encoder.encode(valid, "valid.csv");
  for (int len : train_enc.lengths) ASSERT_LE(len, 64);

  const model::BertConfig c = test::tiny_bert_config({.vocab_size = tokenizer.vocab_size(),
                                                      .num_labels = static_cast<int>(data.labels.size()),
                                                      .num_hidden_layers = 1,
                                                      .max_position_embeddings = 64});
  model::BertClassifier model(c, 1);

  TrainerOptions o;
  o.epochs = 1;
  o.batch_size = 32;
  o.lr = 1e-3;
  const EncodedDataset valid_data{valid, valid_enc};
  const auto reports = fit(model, io::Task::SingleLabel, 2, {train, train_enc}, &valid_data, o).epochs;
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].steps, static_cast<std::int64_t>((train.size() + 31) / 32));
  EXPECT_TRUE(std::isfinite(reports[0].train_loss));
  const EvalResult& v = *reports[0].valid;
  EXPECT_EQ(v.classification.macro.support, valid.size());
  EXPECT_GE(v.classification.accuracy, 0.0);
  EXPECT_LE(v.classification.accuracy, 1.0);
}

}  // namespace
}  // namespace bertcls::train
