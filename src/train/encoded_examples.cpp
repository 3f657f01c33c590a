#include "train/encoded_examples.h"

#include "common/error.h"

namespace bertcls::train {

EncodedExamples encode_examples(const text::Tokenizer& tokenizer, const std::vector<io::Example>& examples,
                                std::size_t max_length, const std::string& source) {
  text::Tokenizer tok = tokenizer;
  tok.set_truncation(text::TruncationParams{.max_length = max_length});
  tok.set_padding(std::nullopt);

  std::vector<text::Encoding> encodings(examples.size());
  std::string error;
  std::size_t error_index = examples.size();
#pragma omp parallel for schedule(dynamic, 64)
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const io::Example& ex = examples[i];
    try {
      encodings[i] = ex.text_pair.empty() ? tok.encode(ex.text) : tok.encode_pair(ex.text, ex.text_pair);
    } catch (const std::exception& e) {
#pragma omp critical
      if (i < error_index) {  // report the first bad example, whatever the thread timing
        error_index = i;
        error = e.what();
      }
    }
  }
  if (error_index < examples.size())
    throw Error(source + ":" + std::to_string(examples[error_index].line) + ": " + error);

  EncodedExamples out;
  out.offsets.reserve(examples.size() + 1);
  out.offsets.push_back(0);
  for (text::Encoding& e : encodings) {
    out.ids.insert(out.ids.end(), e.ids.begin(), e.ids.end());
    out.type_ids.insert(out.type_ids.end(), e.type_ids.begin(), e.type_ids.end());
    out.offsets.push_back(out.ids.size());
    out.lengths.push_back(static_cast<int>(e.ids.size()));
    e = text::Encoding{};  // free as we go: encodings carry token strings and offsets
  }
  return out;
}

}  // namespace bertcls::train
