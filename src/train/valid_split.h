// --valid-split: a seeded, stratified hold-out from the training file when no --valid is
// given. Each stratum (the class; for multi-label, the exact set of labels; regression has
// one stratum) gives up its share of rows, so class proportions survive the split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "io/dataset.h"

namespace bertcls::train {

struct TrainValidSplit {
  std::vector<std::size_t> train;  // indices into the examples, ascending
  std::vector<std::size_t> valid;  // indices into the examples, ascending
};

// The validation set has ceil(fraction * n) rows, as sklearn's train_test_split sizes its
// test set; strata get floor(fraction * n_s) each and the rows left over go to the strata
// with the largest remainders (ties to the lower stratum key). Which rows of a stratum go
// is a seeded shuffle. Throws bertcls::Error unless 0 <= fraction < 1 and at least one
// row is left for training.
TrainValidSplit split_train_valid(const std::vector<io::Example>& examples, io::Task task, double fraction,
                                  std::uint64_t seed);

}  // namespace bertcls::train
