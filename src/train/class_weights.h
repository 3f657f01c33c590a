// --class-weights balanced: sklearn's compute_class_weight("balanced"), the weight of class
// c is n_samples / (n_classes * count_c), so each class contributes equally to the loss.
#pragma once

#include <span>
#include <vector>

namespace bertcls::train {

// labels are class ids in [0, num_classes). n_classes counts the classes that occur, as
// sklearn's np.unique(y) does; a class with no example (possible after the validation
// split takes a rare class's only rows) gets weight 1, which the loss never uses since
// no training example carries it. Throws bertcls::Error for an out-of-range id or no labels.
std::vector<float> balanced_class_weights(std::span<const int> labels, int num_classes);

}  // namespace bertcls::train
