// bertcls predict: label and scores per text, as JSON lines (or CSV).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <vector>

#include <bertcls/classifier.h>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "io/dataset.h"
#include "pipeline/classifier_model.h"

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
  std::ifstream file;
  if (o.input != "-") {
    file.open(o.input, std::ios::binary);
    if (!file) throw Error(o.input + ": cannot open");
  }
  std::istream& in = file.is_open() ? static_cast<std::istream&>(file) : std::cin;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    inputs.push_back({line, std::nullopt});
  }
  return inputs;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void run_predict(const PredictOptions& o, const CLI::App& cmd) {
  if (o.output_format != "jsonl" && o.output_format != "csv")
    throw Error("--output-format: expected jsonl or csv, got '" + o.output_format + "'");
  std::vector<TextInput> inputs = read_inputs(o);
  if (inputs.empty()) throw Error("no texts to classify: give TEXT arguments or --input FILE");
  const Classifier clf = Classifier::load(o.model, o.text.resolved(cmd));
  for (const auto& w : clf.warnings()) std::fprintf(stderr, "bertcls: warning: %s\n", w.c_str());
  const std::vector<Prediction> predictions = clf.predict(inputs, o.batch_size);

  const auto& labels = clf.labels();
  const bool multi_label = clf.score_function() == ScoreFunction::Sigmoid && labels.size() > 1;
  if (o.output_format == "csv") {
    std::string header = "text,label";
    for (const auto& l : labels) header += "," + csv_field("score_" + l);
    std::printf("%s\n", header.c_str());
  }
  for (size_t i = 0; i < predictions.size(); ++i) {
    const Prediction& p = predictions[i];
    if (o.output_format == "csv") {
      std::string row = csv_field(inputs[i].text) + "," + csv_field(labels[p.label]);
      for (float s : p.scores) row += "," + std::to_string(s);
      std::printf("%s\n", row.c_str());
      continue;
    }
    nlohmann::ordered_json line;
    line["label"] = labels[p.label];
    if (multi_label) {
      nlohmann::json above = nlohmann::json::array();
      for (size_t k = 0; k < labels.size(); ++k)
        if (p.scores[k] >= o.threshold) above.push_back(labels[k]);
      line["labels"] = above;
    }
    nlohmann::ordered_json scores = nlohmann::ordered_json::object();
    for (int k : pipeline::top_labels(p.scores, o.top_k)) scores[labels[k]] = p.scores[k];
    line["scores"] = scores;
    if (o.logits) line["logits"] = p.logits;
    std::printf("%s\n", line.dump().c_str());
  }
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
  cmd->add_option("--batch-size", o->batch_size, "Texts per forward pass")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--top-k", o->top_k, "Print only the k best scores (0: all)")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--threshold", o->threshold, "Multi-label: score at which a label is on")->capture_default_str();
  cmd->add_flag("--logits", o->logits, "Also print the raw logits");
  cmd->add_option("--output-format", o->output_format, "jsonl or csv")->capture_default_str();
  cmd->callback([o, cmd] { run_predict(*o, *cmd); });
}

}  // namespace bertcls::cli
