// When a loop is worth an OpenMP team. All parallel loops of the engine share OpenMP's one
// pool (the OpenBLAS build linked is the OpenMP one and runs single-threaded inside our
// regions). Small loops stay on the calling thread: forking costs microseconds, and on an
// oversubscribed machine each barrier of a spinning team can cost a whole time slice
// (measured: a micro-model step took 500 ms with 2 threads on a loaded 2-core machine,
// 5 ms with 1).
#pragma once

namespace bertcls::tensor {

constexpr long kMinParallelWork = 1L << 16;  // elementwise operations

inline bool worth_parallel(long work) { return work >= kMinParallelWork; }

}  // namespace bertcls::tensor
