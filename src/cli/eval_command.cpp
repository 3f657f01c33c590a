// bertcls eval: the metrics of a model on labelled data: accuracy, macro and weighted
// precision/recall/F1, a per-class report and the confusion matrix (multi-label: F1 and
// per label; regression: MSE, MAE, Pearson).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "common/error.h"
#include "io/hub_download.h"
#include "model/bert_checkpoint.h"
#include "train/evaluation.h"

namespace bertcls::cli {
namespace {

struct EvalCommandOptions {
  std::string model, data_path;
  std::size_t batch_size = 32;
  std::size_t max_length = 512;
  bool json = false;
  DataFlags data;
};

io::Task task_of(const model::BertConfig& c, const DataFlags& flags) {
  if (flags.multi_label || flags.regression) return flags.options().task;
  if (c.problem_type_set && c.problem_type == model::ProblemType::multi_label_classification) return io::Task::MultiLabel;
  if (c.problem_type_set && c.problem_type == model::ProblemType::regression) return io::Task::Regression;
  return io::Task::SingleLabel;
}

nlohmann::ordered_json scores_json(const train::ClassScores& s) {
  return {{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
}

void run_eval(const EvalCommandOptions& o) {
  std::filesystem::path dir = io::resolve_model(o.model, io::HubSettings::from_environment());
  model::PretrainedModel pretrained = model::load_pretrained(dir);
  for (const auto& w : pretrained.report.warnings(dir.string())) std::fprintf(stderr, "bertcls: warning: %s\n", w.c_str());
  model::BertClassifier& m = pretrained.model;
  const std::vector<std::string> labels = m.config().id2label;
  io::DatasetOptions data = o.data.options();
  data.task = task_of(m.config(), o.data);
  if (data.task != io::Task::Regression) data.labels = io::LabelSet(labels);
  io::Dataset set = io::read_dataset(o.data_path, data);
  report_skipped(o.data_path, set);
  text::Tokenizer tokenizer = text::Tokenizer::from_directory(dir);
  std::size_t max_length = std::min<std::size_t>(o.max_length, static_cast<std::size_t>(m.config().max_position_embeddings));
  train::EncodedExamples encoded = train::encode_examples(tokenizer, set.examples, max_length, o.data_path);
  train::prepare_head(m, data.task, m.config().num_labels());
  train::EvalResult r = train::evaluate(m, set.examples, encoded, data.task, o.batch_size);

  if (!o.json) {
    std::printf("%s: %zu examples\n%s\n", o.data_path.c_str(), set.examples.size(), r.summary().c_str());
    if (data.task == io::Task::SingleLabel)
      std::printf("\n%s", train::format_classification_report(r.classification, labels).c_str());
    return;
  }
  nlohmann::ordered_json out = {{"data", o.data_path}, {"examples", set.examples.size()}, {"loss", r.loss}};
  if (data.task == io::Task::SingleLabel) {
    const auto& c = r.classification;
    out["accuracy"] = c.accuracy;
    out["macro"] = scores_json(c.macro);
    out["weighted"] = scores_json(c.weighted);
    nlohmann::ordered_json per_class = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < c.per_class.size(); ++k) per_class[labels[k]] = scores_json(c.per_class[k]);
    out["per_class"] = per_class;
    out["confusion_matrix"] = c.confusion;
  } else if (data.task == io::Task::MultiLabel) {
    out["subset_accuracy"] = r.multilabel.subset_accuracy;
    out["summary"] = r.summary();
  } else {
    out["mse"] = r.regression.mse;
    out["mae"] = r.regression.mae;
    out["pearson"] = r.regression.pearson;
  }
  std::printf("%s\n", out.dump(2).c_str());
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a model on labelled data");
  cmd->add_option("--model", o->model, "Model folder or hub name ORG/NAME")->required();
  cmd->add_option("--data", o->data_path, "Labelled data (.csv, .tsv, .jsonl)")->required();
  o->data.add_to(cmd);
  cmd->add_option("--batch-size", o->batch_size, "Texts per batch")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--max-length", o->max_length, "Tokens per text, special tokens included")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the metrics as JSON");
  cmd->callback([o] { run_eval(*o); });
}

}  // namespace bertcls::cli
