#include "serve/live_model.h"

#include <chrono>
#include <cmath>

#include <bertcls/error.h>
#include "common/utc_timestamp.h"
#include "io/model_weights.h"
#include "io/sha256.h"

namespace bertcls::serve {
namespace {

std::string weights_sha256(const std::filesystem::path& dir) {
  io::Sha256 hash;
  for (const auto& file : io::model_weight_files(dir)) hash.update_file(file);
  return hash.hex_digest();
}

// A model that loads can still be unusable (labels that do not match its head, weights
// that give NaN): one probe text must come back with a finite score per label.
void check(const pipeline::ClassifierModel& model, const std::string& source) {
  const std::vector<Prediction> probe = model.predict({{"probe", std::nullopt}}, 1);
  if (probe.size() != 1 || probe[0].scores.size() != model.labels().size())
    throw Error(source + ": the model gives " + std::to_string(probe.empty() ? 0 : probe[0].scores.size()) +
                " scores for " + std::to_string(model.labels().size()) + " labels");
  for (float s : probe[0].scores)
    if (!std::isfinite(s)) throw Error(source + ": the model's scores are not finite (NaN or Inf in its weights?)");
}

std::shared_ptr<const ServedModel> served(std::shared_ptr<const pipeline::ClassifierModel> model, std::string name,
                                          double load_seconds) {
  auto s = std::make_shared<ServedModel>();
  s->weights_sha256 = weights_sha256(model->dir());
  s->model = std::move(model);
  s->name = std::move(name);
  s->loaded_at = utc_timestamp();
  s->load_seconds = load_seconds;
  return s;
}

}  // namespace

LiveModel::LiveModel(std::shared_ptr<const pipeline::ClassifierModel> model, std::string name, double load_seconds)
    : current_(served(std::move(model), std::move(name), load_seconds)) {}

std::shared_ptr<const ServedModel> LiveModel::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const ServedModel> LiveModel::reload(const std::optional<std::string>& source) {
  std::lock_guard one_at_a_time(reloading_);
  const std::shared_ptr<const ServedModel> old = current();
  const std::string from = source.value_or(old->model->dir().string());
  const auto started = std::chrono::steady_clock::now();
  std::shared_ptr<const pipeline::ClassifierModel> model;
  try {
    model = pipeline::ClassifierModel::load(from, old->model->encoder().options(), old->model->inference());
    check(*model, from);
    model->warm_up();  // before it takes requests, as serve's first load
  } catch (const std::exception& e) {
    throw Error("reload refused, still serving " + old->name + ": " + e.what());
  }
  auto next = served(std::move(model), source.value_or(old->name),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  std::lock_guard lock(mutex_);
  current_ = next;
  return next;
}

}  // namespace bertcls::serve
