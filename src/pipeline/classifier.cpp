// bertcls::Classifier, the public handle on a shared ClassifierModel.
#include <bertcls/classifier.h>

#include "pipeline/classifier_model.h"

namespace bertcls {

Classifier::Classifier(std::shared_ptr<const pipeline::ClassifierModel> model) : model_(std::move(model)) {
  if (!model_) throw Error("Classifier: no model");
}

Classifier Classifier::load(const std::string& model, const TextOptions& text, const InferenceOptions& inference) {
  return Classifier(pipeline::ClassifierModel::load(model, text, inference));
}

std::vector<Prediction> Classifier::predict_inputs(const std::vector<TextInput>& inputs, int batch_size) const {
  return model_->predict(inputs, batch_size);
}

std::vector<Prediction> Classifier::predict(const std::vector<std::string>& texts, int batch_size) const {
  std::vector<TextInput> inputs;
  inputs.reserve(texts.size());
  for (const std::string& t : texts) inputs.push_back({t, std::nullopt});
  return model_->predict(inputs, batch_size);
}

EvalResult Classifier::evaluate(const std::string& data_file, DataOptions data, int batch_size) const {
  io::DatasetOptions options;
  static_cast<DataOptions&>(options) = data;
  if (data.task == Task::SingleLabel) options.task = model_->task();
  if (options.task != Task::Regression) options.labels = io::LabelSet(model_->labels());
  const io::Dataset set = io::read_dataset(data_file, options);
  EvalResult r = model_->evaluate(set.examples, options.task, data_file, batch_size);
  r.skipped_rows = set.skipped_rows;
  r.skip_reasons = set.skip_reasons;
  return r;
}

void Classifier::save(const std::string& dir) const { model_->save(dir); }
const std::vector<std::string>& Classifier::labels() const { return model_->labels(); }
ScoreFunction Classifier::score_function() const { return model_->score_function(); }
Task Classifier::task() const { return model_->task(); }
std::size_t Classifier::max_length() const { return model_->encoder().max_length(); }
std::string Classifier::path() const { return model_->dir().string(); }
const std::vector<std::string>& Classifier::warnings() const { return model_->warnings(); }

}  // namespace bertcls
