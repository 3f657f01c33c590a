#include "train/curves_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <optional>
#include <utility>

namespace bertcls::train {
namespace {

struct Series {
  std::string name;
  std::string color;
  bool markers = false;  // per-epoch values: few points, each worth seeing
  std::vector<std::pair<double, double>> points;
};

struct Box {
  double x, y, width, height;
};

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

// About five round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  const double span = hi - lo;
  const double raw = span / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(t);
  return out;
}

void draw_chart(std::string& svg, const Box& box, const std::string& title, const std::string& x_label,
                const std::vector<Series>& all) {
  std::vector<const Series*> series;
  for (const Series& s : all)
    if (!s.points.empty()) series.push_back(&s);
  svg += "<text x='" + fmt("%.0f", box.x + box.width / 2) + "' y='" + fmt("%.0f", box.y - 12) +
         "' text-anchor='middle' font-size='15' font-weight='bold'>" + escape(title) + "</text>\n";
  svg += "<rect x='" + fmt("%.1f", box.x) + "' y='" + fmt("%.1f", box.y) + "' width='" + fmt("%.1f", box.width) +
         "' height='" + fmt("%.1f", box.height) + "' fill='none' stroke='#888'/>\n";
  if (series.empty()) {
    svg += "<text x='" + fmt("%.0f", box.x + box.width / 2) + "' y='" + fmt("%.0f", box.y + box.height / 2) +
           "' text-anchor='middle' fill='#888'>no data yet</text>\n";
    return;
  }
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const Series* s : series)
    for (const auto& [x, y] : s->points) {
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  if (x1 - x0 < 1e-12) x0 -= 1, x1 += 1;
  if (y1 - y0 < 1e-12) y0 -= 0.5, y1 += 0.5;
  const double pad = (y1 - y0) * 0.05;
  y0 -= pad, y1 += pad;
  auto px = [&](double x) { return box.x + (x - x0) / (x1 - x0) * box.width; };
  auto py = [&](double y) { return box.y + box.height - (y - y0) / (y1 - y0) * box.height; };

  for (double t : ticks(y0, y1)) {
    svg += "<line x1='" + fmt("%.1f", box.x) + "' x2='" + fmt("%.1f", box.x + box.width) + "' y1='" +
           fmt("%.1f", py(t)) + "' y2='" + fmt("%.1f", py(t)) + "' stroke='#eee'/>\n";
    svg += "<text x='" + fmt("%.1f", box.x - 6) + "' y='" + fmt("%.1f", py(t) + 4) +
           "' text-anchor='end' font-size='11'>" + fmt("%g", t) + "</text>\n";
  }
  for (double t : ticks(x0, x1))
    svg += "<text x='" + fmt("%.1f", px(t)) + "' y='" + fmt("%.1f", box.y + box.height + 16) +
           "' text-anchor='middle' font-size='11'>" + fmt("%g", t) + "</text>\n";
  svg += "<text x='" + fmt("%.0f", box.x + box.width / 2) + "' y='" + fmt("%.0f", box.y + box.height + 34) +
         "' text-anchor='middle' font-size='12'>" + escape(x_label) + "</text>\n";

  double legend_y = box.y + 14;
  for (const Series* s : series) {
    std::string path;
    for (const auto& [x, y] : s->points) path += (path.empty() ? "M" : " L") + fmt("%.1f", px(x)) + "," + fmt("%.1f", py(y));
    svg += "<path d='" + path + "' fill='none' stroke='" + s->color + "' stroke-width='1.8'/>\n";
    if (s->markers)
      for (const auto& [x, y] : s->points)
        svg += "<circle cx='" + fmt("%.1f", px(x)) + "' cy='" + fmt("%.1f", py(y)) + "' r='3.5' fill='" + s->color +
               "'><title>" + escape(s->name) + " " + fmt("%.4f", y) + "</title></circle>\n";
    svg += "<rect x='" + fmt("%.1f", box.x + box.width - 150) + "' y='" + fmt("%.1f", legend_y - 9) +
           "' width='12' height='3' fill='" + s->color + "'/><text x='" + fmt("%.1f", box.x + box.width - 132) +
           "' y='" + fmt("%.1f", legend_y - 4) + "' font-size='11'>" + escape(s->name) + "</text>\n";
    legend_y += 15;
  }
}

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

}  // namespace

std::string render_training_curves(const std::vector<nlohmann::json>& records) {
  Series step_loss{"train loss (steps)", "#9ecae1", false, {}};
  Series epoch_loss{"train loss (epoch)", "#1f77b4", true, {}};
  Series valid_loss{"valid loss", "#d62728", true, {}};
  std::vector<Series> metrics;  // valid_* except the loss, in first-seen order
  auto number = [](const nlohmann::json& r, const char* key) {
    return r.contains(key) && r[key].is_number() ? std::optional<double>(r[key].get<double>()) : std::nullopt;
  };
  for (const nlohmann::json& r : records) {
    if (!r.is_object()) continue;
    const std::string event = r.value("event", "");
    const auto step = number(r, "step");
    const auto loss = number(r, "train_loss");
    if (event == "step" && step && loss) step_loss.points.emplace_back(*step, *loss);
    if (event != "epoch" || !step) continue;
    if (loss) epoch_loss.points.emplace_back(*step, *loss);
    if (const auto v = number(r, "valid_loss")) valid_loss.points.emplace_back(*step, *v);
    const auto epoch = number(r, "epoch");
    for (const auto& [key, value] : r.items()) {
      if (key.rfind("valid_", 0) != 0 || key == "valid_loss" || key == "valid_score" || !value.is_number() || !epoch)
        continue;
      auto it = std::find_if(metrics.begin(), metrics.end(), [&](const Series& s) { return s.name == key.substr(6); });
      if (it == metrics.end()) {
        metrics.push_back({key.substr(6), kPalette[metrics.size() % std::size(kPalette)], true, {}});
        it = metrics.end() - 1;
      }
      it->points.emplace_back(*epoch, value.get<double>());
    }
  }
  std::string svg =
      "<svg xmlns='http://www.w3.org/2000/svg' width='960' height='400' viewBox='0 0 960 400' "
      "font-family='sans-serif'>\n<rect width='960' height='400' fill='white'/>\n";
  draw_chart(svg, {60, 40, 400, 300}, "Loss", "optimizer step", {step_loss, epoch_loss, valid_loss});
  draw_chart(svg, {540, 40, 400, 300}, "Validation metrics", "epoch", metrics);
  svg += "</svg>\n";
  return svg;
}

}  // namespace bertcls::train
