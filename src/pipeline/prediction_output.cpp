#include "pipeline/prediction_output.h"

#include <nlohmann/json.hpp>

#include "pipeline/classifier_model.h"

namespace bertcls::pipeline {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';  // a quote inside a quoted field is doubled
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

void write_predictions(std::FILE* out, const std::vector<TextInput>& inputs, const std::vector<Prediction>& predictions,
                       const Classifier& classifier, const PredictionFormat& format) {
  const auto& labels = classifier.labels();
  const bool multi_label = classifier.score_function() == ScoreFunction::Sigmoid && labels.size() > 1;
  if (format.csv) {
    std::string header = "text,label";
    for (const auto& l : labels) header.append(",").append(csv_field("score_" + l));
    std::fprintf(out, "%s\n", header.c_str());
  }
  for (size_t i = 0; i < predictions.size(); ++i) {
    const Prediction& p = predictions[i];
    if (format.csv) {
      std::string row = csv_field(inputs[i].text);
      row.append(",").append(csv_field(labels[p.label]));
      for (float s : p.scores) row.append(",").append(std::to_string(s));
      std::fprintf(out, "%s\n", row.c_str());
      continue;
    }
    nlohmann::ordered_json line;
    line["label"] = labels[p.label];
    if (multi_label) {
      nlohmann::json above = nlohmann::json::array();
      for (size_t k = 0; k < labels.size(); ++k)
        if (p.scores[k] >= format.threshold) above.push_back(labels[k]);
      line["labels"] = above;
    }
    nlohmann::ordered_json scores = nlohmann::ordered_json::object();
    for (int k : top_labels(p.scores, format.top_k)) scores[labels[k]] = p.scores[k];
    line["scores"] = scores;
    if (format.logits) line["logits"] = p.logits;
    std::fprintf(out, "%s\n", line.dump().c_str());
  }
}

}  // namespace bertcls::pipeline
