// The request JSON the server takes, in two shapes, so both families of clients work
// unchanged:
// - POST /predict, text-embeddings-inference's classifier route:
//     {"inputs": "text" | ["t1", ...], "text_pair": "p" | ["p1", ...],
//      "top_k": 2, "truncate": true, "raw_scores": false}
//   answered, per input, by [{"label": ..., "score": ...}, ...] sorted by score (one list
//   for a single input, a list of lists for a batch);
// - POST /, Hugging Face Inference Endpoints' text-classification task (what
//   huggingface_hub's and @huggingface/inference's text_classification send):
//     {"inputs": "text" | ["t1", ...],
//      "parameters": {"top_k": 2, "function_to_apply": "softmax" | "sigmoid" | "none",
//                     "truncation": true}}
//   answered as transformers' text-classification pipeline with top_k=None: a list per
//   input of every label (or the top_k best) sorted by score, always a list of lists.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <bertcls/classifier.h>
#include "serve/request_json.h"

namespace bertcls::serve {

struct PredictRequest {
  std::vector<TextInput> inputs;
  bool batched = false;  // "inputs" was a list
  std::optional<int> top_k;
  bool truncate = false;
  bool raw_scores = false;
  bool pipeline_shape = false;           // POST /: always a list of lists
  std::optional<ScoreFunction> function;  // POST /'s function_to_apply; else the model's
};

// Throws RequestError: 400 for a body that is not JSON (invalid UTF-8 included), 422 for
// JSON of the wrong shape (unknown fields, wrong types, empty list or text), 413 for more
// than max_inputs inputs.
PredictRequest parse_predict_request(std::string_view body, int max_inputs);

// The same for POST /.
PredictRequest parse_pipeline_request(std::string_view body, int max_inputs);

// The response body for the predictions of a request.
std::string predict_response(const PredictRequest& request, const std::vector<Prediction>& predictions,
                             const std::vector<std::string>& labels);

}  // namespace bertcls::serve
