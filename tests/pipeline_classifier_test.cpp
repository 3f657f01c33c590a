// bertcls::Classifier: eval, predict and the server take one path from text to scores, so
// the same model and text give the same numbers everywhere, long texts included.
#include <gtest/gtest.h>

#include <bertcls/classifier.h>

#include <cmath>
#include <fstream>
#include <thread>

#include "pipeline/classifier_model.h"
#include "train/evaluation.h"
#include "support/io_test_support.h"
#include "support/tiny_model.h"

namespace bertcls {
namespace {

// Texts of every length around a window of 8 tokens, labelled as the tiny model's classes.
std::filesystem::path write_data(const test::ScratchDir& dir) {
  const std::filesystem::path file = dir / "data.csv";
  std::ofstream out(file);
  out << "text,label\n";
  const char* words[] = {"хороший", "день", "всё", "плохо", "очень", "длинный", "текст", "который", "не", "поместится"};
  for (int i = 0; i < 24; ++i) {
    out << words[i % 10];
    for (int w = 0; w < i; ++w) out << " " << words[(i * 7 + w) % 10];
    out << "," << (i % 3 == 0 ? "positive" : "negative") << "\n";
  }
  return file;
}

class ClassifierPaths : public ::testing::TestWithParam<LongTexts> {};

TEST_P(ClassifierPaths, EvalScoresAreThoseOfPredictRowByRow) {
  test::ScratchDir dir;
  test::make_tiny_model_folder(dir / "model");
  const auto data = write_data(dir);
  const TextOptions text{8, GetParam(), 2, WindowPooling::Mean};
  const Classifier clf = Classifier::load((dir / "model").string(), text);

  io::DatasetOptions options;
  options.labels = io::LabelSet(clf.labels());
  const io::Dataset set = io::read_dataset(data.string(), options);
  std::vector<std::string> texts;
  for (const io::Example& ex : set.examples) texts.push_back(ex.text);
  const std::vector<Prediction> predicted = clf.predict(texts, 5);

  // Eval's logits, row by row, through the same encoder and run as Classifier::evaluate
  // (same batch size: a GEMM's rounding depends on the rows it runs with).
  const pipeline::ClassifierModel& model = *clf.model();
  model::BertWorkspace workspace;
  const std::vector<float> eval_logits =
      train::predict_logits(model.weights(), workspace, model.encoder().encode(set.examples, "data.csv"), 5);
  ASSERT_EQ(eval_logits.size(), 2 * predicted.size());
  std::size_t correct = 0;
  double loss = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    EXPECT_EQ(predicted[i].logits[0], eval_logits[2 * i]) << i;
    EXPECT_EQ(predicted[i].logits[1], eval_logits[2 * i + 1]) << i;
    correct += predicted[i].label == set.examples[i].label;
    loss -= std::log(predicted[i].scores[set.examples[i].label]);
  }
  const EvalResult r = clf.evaluate(data.string(), {}, 5);
  EXPECT_EQ(r.examples, predicted.size());
  EXPECT_DOUBLE_EQ(r.classification.accuracy, static_cast<double>(correct) / predicted.size());
  EXPECT_NEAR(r.loss, loss / predicted.size(), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(LongTexts, ClassifierPaths, ::testing::Values(LongTexts::Truncate, LongTexts::Chunk));

TEST(Classifier, ChunkPoolsTheLogitsOfEachWindow) {
  test::ScratchDir dir;
  test::make_tiny_model_folder(dir / "model");
  const std::string text = "очень длинный текст который не поместится в восемь токенов никак";
  const Classifier whole = Classifier::load((dir / "model").string(), {8, LongTexts::Chunk, 2, WindowPooling::Mean});
  const Classifier maxed = Classifier::load((dir / "model").string(), {8, LongTexts::Chunk, 2, WindowPooling::Max});
  // The windows of this text (12 tokens, 6 a window, stride 2), each classified alone.
  const text::Tokenizer& tok = whole.model()->encoder().tokenizer();
  const std::vector<text::Encoding> windows = tok.encode_windows(text, 8, 2);
  ASSERT_EQ(windows.size(), 3u);
  const Classifier plain = Classifier::load((dir / "model").string(), {0, LongTexts::Truncate, {}, WindowPooling::Mean});
  std::vector<std::string> window_texts;
  for (const auto& w : windows) window_texts.push_back(tok.decode(w.ids));
  const auto per_window = plain.predict(window_texts);
  const Prediction mean = whole.predict(std::vector<std::string>{text})[0];
  const Prediction max = maxed.predict(std::vector<std::string>{text})[0];
  for (int k = 0; k < 2; ++k) {
    const float a = per_window[0].logits[k], b = per_window[1].logits[k], c = per_window[2].logits[k];
    EXPECT_NEAR(mean.logits[k], (a + b + c) / 3, 1e-5);
    EXPECT_NEAR(max.logits[k], std::max({a, b, c}), 1e-6);
  }
}

TEST(Classifier, ThreadsShareOneModelAndGetTheSameScores) {
  test::ScratchDir dir;
  test::make_tiny_model_folder(dir / "model");
  const Classifier clf = Classifier::load((dir / "model").string());
  const std::vector<std::string> texts = {"хороший день", "всё плохо", "очень длинный текст"};
  const std::vector<Prediction> alone = clf.predict(texts);
  std::vector<std::vector<Prediction>> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back([&clf, &texts, &r] { r = Classifier(clf).predict(texts); });
  for (auto& t : threads) t.join();
  for (const auto& r : results)
    for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(r[i].logits, alone[i].logits);
}

TEST(Classifier, ErrorsNameTheModelAndTheText) {
  test::expect_error([] { Classifier::load("/no/such/model"); }, {"/no/such/model"});
  test::ScratchDir dir;
  test::make_tiny_model_folder(dir / "model");
  const Classifier strict = Classifier::load((dir / "model").string(), {4, LongTexts::Reject, {}, WindowPooling::Mean});
  test::expect_error([&] { strict.predict(std::vector<std::string>{"да", "очень длинный текст который"}); },
                     {"text 2", "maximum of 4"});
}

}  // namespace
}  // namespace bertcls
