// bertcls eval: the metrics of a model on labelled data: accuracy, macro and weighted
// precision/recall/F1, a per-class report and the confusion matrix (multi-label: F1 and
// per label; regression: MSE, MAE, Pearson).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include <bertcls/classifier.h>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "pipeline/training_data.h"
#include "train/classification_metrics.h"

namespace bertcls::cli {
namespace {

struct EvalCommandOptions {
  std::string model, data_path;
  int batch_size = 32;
  bool json = false;
  DataFlags data;
  TextFlags text;
  InferenceFlags inference;
};

nlohmann::ordered_json scores_json(const ClassScores& s) {
  return {{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
}

void run_eval(const EvalCommandOptions& o, const CLI::App& cmd) {
  const Classifier clf = Classifier::load(o.model, o.text.resolved(cmd), o.inference.options);
  for (const auto& w : clf.warnings()) std::fprintf(stderr, "bertcls: warning: %s\n", w.c_str());
  const EvalResult r = clf.evaluate(o.data_path, o.data.resolved(), o.batch_size);
  for (const auto& line : pipeline::skipped_rows_report(o.data_path, r.skipped_rows, r.skip_reasons))
    std::fprintf(stderr, "bertcls: %s\n", line.c_str());
  const std::vector<std::string>& labels = clf.labels();

  if (!o.json) {
    std::printf("%s: %zu examples\n%s\n", o.data_path.c_str(), r.examples, r.summary().c_str());
    if (r.task == Task::SingleLabel)
      std::printf("\n%s", train::format_classification_report(r.classification, labels).c_str());
    return;
  }
  nlohmann::ordered_json out = {{"data", o.data_path}, {"examples", r.examples}, {"loss", r.loss}};
  if (r.task == Task::SingleLabel) {
    const auto& c = r.classification;
    out["accuracy"] = c.accuracy;
    out["macro"] = scores_json(c.macro);
    out["weighted"] = scores_json(c.weighted);
    nlohmann::ordered_json per_class = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < c.per_class.size(); ++k) per_class[labels[k]] = scores_json(c.per_class[k]);
    out["per_class"] = per_class;
    out["confusion_matrix"] = c.confusion;
  } else if (r.task == Task::MultiLabel) {
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
  o->text.add_to(cmd, 512);
  o->inference.add_to(cmd);
  cmd->add_option("--batch-size", o->batch_size, "Texts per batch")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("--json", o->json, "Print the metrics as JSON");
  cmd->callback([o, cmd] { run_eval(*o, *cmd); });
}

}  // namespace bertcls::cli
