#include "pipeline/training_data.h"

#include <algorithm>
#include <iterator>

#include "train/valid_split.h"

namespace bertcls::pipeline {
namespace {

std::vector<io::Example> subset(const std::vector<io::Example>& all, const std::vector<std::size_t>& indices) {
  std::vector<io::Example> out;
  out.reserve(indices.size());
  for (std::size_t i : indices) out.push_back(all[i]);
  return out;
}

io::Dataset read_reporting(const std::string& path, const io::DatasetOptions& options,
                           const std::function<void(const std::string&)>& say) {
  io::Dataset d = io::read_dataset(path, options);
  for (const std::string& line : skipped_rows_report(path, d.skipped_rows, d.skip_reasons)) say(line);
  return d;
}

// Each file is read once, with ids of its own, which are then mapped by name.
io::Dataset read_joined(const std::vector<std::string>& paths, const io::DatasetOptions& options,
                        const std::function<void(const std::string&)>& say) {
  std::vector<io::Dataset> parts;
  std::vector<std::string> names;
  for (const std::string& p : paths) {
    parts.push_back(read_reporting(p, options, say));
    names.insert(names.end(), parts.back().labels.id2label().begin(), parts.back().labels.id2label().end());
  }
  io::Dataset all;
  all.task = options.task;
  if (options.task != Task::Regression) all.labels = options.labels ? *options.labels : io::LabelSet::from_observed(names);
  for (io::Dataset& d : parts) {
    auto union_id = [&](int id) { return all.labels.id_of(d.labels.name(id)); };
    if (options.task != Task::Regression)
      for (io::Example& ex : d.examples) {
        if (ex.label >= 0) ex.label = union_id(ex.label);
        for (int& id : ex.labels) id = union_id(id);
        std::sort(ex.labels.begin(), ex.labels.end());
      }
    all.skipped_rows += d.skipped_rows;
    all.examples.insert(all.examples.end(), std::make_move_iterator(d.examples.begin()),
                        std::make_move_iterator(d.examples.end()));
  }
  return all;
}

}  // namespace

std::vector<std::string> skipped_rows_report(const std::string& path, std::size_t skipped,
                                             const std::vector<std::string>& reasons) {
  if (skipped == 0) return {};
  std::vector<std::string> lines{path + ": skipped " + std::to_string(skipped) + " bad rows"};
  for (const std::string& r : reasons) lines.push_back("  " + r);
  return lines;
}

TrainingData read_training_data(const std::vector<std::string>& train_files, const std::string& valid_file,
                                double valid_split, const DataOptions& data, std::uint64_t seed,
                                const std::function<void(const std::string&)>& say) {
  io::DatasetOptions options;
  static_cast<DataOptions&>(options) = data;
  io::Dataset train_set = read_joined(train_files, options, say);
  TrainingData out;
  for (const std::string& p : train_files) out.train_name += (out.train_name.empty() ? "" : " + ") + p;
  if (!valid_file.empty()) {
    if (data.task != Task::Regression) options.labels = train_set.labels;
    out.valid = read_reporting(valid_file, options, say).examples;
    out.train = std::move(train_set.examples);
    out.valid_name = valid_file;
  } else if (valid_split > 0) {
    const train::TrainValidSplit split = train::split_train_valid(train_set.examples, data.task, valid_split, seed);
    out.train = subset(train_set.examples, split.train);
    out.valid = subset(train_set.examples, split.valid);
    out.valid_name = out.train_name + " (validation split " + std::to_string(valid_split) + ")";
  } else {
    out.train = std::move(train_set.examples);
  }
  out.labels = data.task == Task::Regression ? std::vector<std::string>{"LABEL_0"} : train_set.labels.id2label();
  return out;
}

}  // namespace bertcls::pipeline
