// The oneDNN engine and per-thread stream that every oneDNN call of the engine uses
// (inference's packed layers, training's bf16 products): one CPU engine for the process,
// and one stream per thread, as each thread runs its own calls.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace bertcls::tensor {

const dnnl::engine& cpu_engine();
dnnl::stream& thread_stream();

}  // namespace bertcls::tensor
