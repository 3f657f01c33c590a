// bertcls predict: label and scores per text, as JSON lines (or CSV).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <bertcls/classifier.h>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "io/dataset.h"
#include "io/text_lines.h"
#include "pipeline/prediction_output.h"

namespace bertcls::cli {
namespace {

struct PredictOptions {
  std::string model;
  std::vector<std::string> texts;
  std::string input;
  std::string format;
  std::string text_column = "text";
  std::string text_pair_column;
  int batch_size = 32;
  int top_k = 0;
  TextFlags text;
  InferenceFlags inference;
  float threshold = 0.5f;
  bool logits = false;
  std::string output_format = "jsonl";
};

// Texts from the command line, a plain file (one per line), stdin ("-"), or the text
// column(s) of a CSV/TSV/JSONL file.
std::vector<TextInput> read_inputs(const PredictOptions& o) {
  std::vector<TextInput> inputs;
  for (const auto& t : o.texts) inputs.push_back({t, std::nullopt});
  if (o.input.empty()) return inputs;
  bool table = !o.format.empty() || (o.input != "-" && [&] {
    try {
      io::data_format_of(o.input);
      return true;
    } catch (const Error&) {
      return false;
    }
  }());
  if (table) {
    io::DatasetOptions d;
    d.format = o.format.empty() ? io::DataFormat::Auto : io::parse_data_format(o.format);
    d.text_column = o.text_column;
    d.text_pair_column = o.text_pair_column;
    d.label_column = "";
    for (auto& e : io::read_dataset(o.input, d).examples)
      inputs.push_back({std::move(e.text), o.text_pair_column.empty() ? std::nullopt
                                                                      : std::optional<std::string>(e.text_pair)});
    return inputs;
  }
  for (io::TextLine& line : io::read_text_lines(o.input, InvalidUtf8Policy::kError))
    inputs.push_back({std::move(line.text), std::nullopt});
  return inputs;
}

void run_predict(const PredictOptions& o, const CLI::App& cmd) {
  std::vector<TextInput> inputs = read_inputs(o);
  if (inputs.empty()) throw Error("no texts to classify: give TEXT arguments or --input FILE");
  const Classifier clf = Classifier::load(o.model, o.text.resolved(cmd), o.inference.options);
  for (const auto& w : clf.warnings()) std::fprintf(stderr, "bertcls: warning: %s\n", w.c_str());
  const std::vector<Prediction> predictions = clf.predict_inputs(inputs, o.batch_size);

  pipeline::write_predictions(stdout, inputs, predictions, clf,
                              {.csv = o.output_format == "csv", .top_k = o.top_k, .threshold = o.threshold,
                               .logits = o.logits});
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto o = std::make_shared<PredictOptions>();
  CLI::App* cmd = app.add_subcommand("predict", "Classify texts: one JSON line per text with label and scores");
  cmd->add_option("--model", o->model, "Model folder, or a hub name ORG/NAME")->required();
  cmd->add_option("text", o->texts, "Texts to classify");
  cmd->add_option("--input", o->input,
                  "File of texts: .csv/.tsv/.jsonl (text column), else one text per line; '-' reads stdin");
  cmd->add_option("--format", o->format, "Input format when the extension does not tell: csv, tsv, jsonl");
  cmd->add_option("--text-column", o->text_column, "Column (or JSON field) holding the text")->capture_default_str();
  cmd->add_option("--text-pair-column", o->text_pair_column, "Column holding the second text of a pair");
  o->text.add_to(cmd, 0);
  o->inference.add_to(cmd);
  cmd->add_option("--batch-size", o->batch_size, "Texts per forward pass")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--top-k", o->top_k, "Print only the k best scores (0: all)")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--threshold", o->threshold, "Multi-label: score at which a label is on")->capture_default_str();
  cmd->add_flag("--logits", o->logits, "Also print the raw logits");
  cmd->add_option("--output-format", o->output_format, "jsonl or csv")->capture_default_str()->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->callback([o, cmd] { run_predict(*o, *cmd); });
}

}  // namespace bertcls::cli
