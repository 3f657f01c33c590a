#include "pipeline/text_files.h"

#include <optional>

#include "io/dataset.h"
#include "io/text_lines.h"

namespace bertcls::pipeline {

std::size_t for_each_text(const std::string& path, const TextFileOptions& o,
                          const std::function<void(std::string&&)>& text) {
  std::optional<DataFormat> format;
  if (!o.lines) format = o.data.format != DataFormat::Auto ? o.data.format : io::data_format_from_extension(path);
  std::size_t texts = 0;
  if (!format) {
    io::TextLineReader reader(path, InvalidUtf8Policy::kError);
    while (std::optional<io::TextLine> line = reader.next()) {
      text(std::move(line->text));
      ++texts;
    }
    return texts;
  }
  io::DatasetOptions d;
  d.format = *format;
  d.text_column = o.data.text_column;
  d.label_column.clear();
  d.skip_bad_rows = o.data.skip_bad_rows;
  io::Dataset data = io::read_dataset(path, d);
  for (io::Example& e : data.examples) text(std::move(e.text));
  return data.examples.size();
}

}  // namespace bertcls::pipeline
