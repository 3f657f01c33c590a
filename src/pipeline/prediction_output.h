// How `bertcls predict` writes predictions: one JSON line per text ({"label", "labels"
// for multi-label models, "scores", "logits"}) or a CSV table with a score column per label.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <bertcls/classifier.h>

namespace bertcls::pipeline {

struct PredictionFormat {
  bool csv = false;         // else JSON lines
  int top_k = 0;            // JSON: only the k best scores (0: all, in label order)
  float threshold = 0.5f;   // multi-label: a label is on from this score
  bool logits = false;      // JSON: also the raw logits
};

// Writes the header (CSV) and one line per prediction of inputs[i] to `out`.
void write_predictions(std::FILE* out, const std::vector<TextInput>& inputs, const std::vector<Prediction>& predictions,
                       const Classifier& classifier, const PredictionFormat& format);

}  // namespace bertcls::pipeline
