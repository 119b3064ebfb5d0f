// Schedules written in the front matter (content-format.md Part B), turned into the definition
// list they stand for: one line per heading, item and link line, numbered with the YAML line it
// comes from, so the definition-list reader reads them like any week page.
//   days:     [{date, events: {"markdown": "reading"}}]        (1) events as a map
//   days:     [{date, events: [{name, type, title, ...}]}]      (2) events as objects
//   days:     [{topic, date, description}]                     (3) one topic per day
//   contents: [{date, items: [{type, topics}]}]                 (4) items per date
#include <algorithm>
#include <array>
#include <cctype>

#include <date/date.h>
#include <yaml-cpp/yaml.h>

#include "content/page_reader.hpp"
#include "content/phrases.hpp"

namespace coursecal::content::detail {
namespace {

constexpr std::size_t npos = std::string::npos;

int yaml_line(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 2 : 1; }
int yaml_col(const YAML::Node& n) { return n.Mark().column >= 0 ? n.Mark().column + 1 : 0; }

std::string one_line(std::string s) {
  for (auto& ch : s)
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  return s;
}

std::string scalar_of(const YAML::Node& n) {
  if (!n || !n.IsScalar()) return {};
  return one_line(n.Scalar());
}

// "topics: [A, B]" or "topic: A" -> "A; B".
std::string joined(const YAML::Node& n) {
  if (!n) return {};
  if (n.IsScalar()) return one_line(n.Scalar());
  std::string out;
  if (n.IsSequence()) {
    for (const auto& v : n) {
      if (!v.IsScalar() || v.Scalar().empty()) continue;
      out += (out.empty() ? "" : "; ") + one_line(v.Scalar());
    }
  }
  return out;
}

bool looks_like_url(std::string_view v) {
  if (v.empty() || v.find(' ') != npos || v.find("](") != npos) return false;
  return v.starts_with("http://") || v.starts_with("https://") || v.starts_with("/") ||
         v.starts_with("{{") || v.find('.') != npos;
}

class schedule_reader {
 public:
  schedule_reader(page_builder& pb, std::vector<synthetic_line>& out) : pb_(pb), out_(out) {}

  void read(const std::string& key, const YAML::Node& seq) {
    for (const auto& entry : seq) {
      const int line = yaml_line(entry);
      if (!entry.IsMap() || !entry["date"]) {
        pb_.warn(line, yaml_col(entry),
                 "'" + key + ":' entry without a date is not read; nothing is taken from it");
        continue;
      }
      previous_item_ = false;
      auto heading = iso_heading(entry["date"]);
      if (!heading) continue;
      const std::size_t mark = out_.size();
      synth("", line);  // blank line between days
      synth(*heading, line);
      const std::size_t first_item = out_.size();
      const YAML::Node events = entry["events"];
      const YAML::Node items = entry["items"];
      if (events && events.IsMap()) {
        // Shape 1: markdown keys, the value (a reading or a note) under it.
        for (const auto& kv : events) {
          if (!kv.first.IsScalar()) continue;
          synth(": " + one_line(kv.first.Scalar()), yaml_line(kv.first));
          std::vector<std::string> values;
          if (kv.second.IsScalar()) values.push_back(one_line(kv.second.Scalar()));
          if (kv.second.IsSequence())
            for (const auto& v : kv.second)
              if (v.IsScalar()) values.push_back(one_line(v.Scalar()));
          // The value is what to read for it: a bullet under the item is its reading list.
          for (const auto& v : values)
            if (!v.empty()) synth("  * " + v, yaml_line(kv.second));
        }
      } else if (events && events.IsSequence()) {
        // Shape 2: event objects (or plain markdown strings).
        for (const auto& ev : events) {
          if (ev.IsMap())
            item(ev);
          else if (ev.IsScalar() && !ev.Scalar().empty())
            synth(": " + one_line(ev.Scalar()), yaml_line(ev));
        }
      } else if (items && items.IsSequence()) {
        // Shape 4: contents with items.
        for (const auto& it : items)
          if (it.IsMap()) item(it);
      } else if (entry["topic"] || entry["title"] || entry["description"]) {
        // Shape 3: one topic per day.
        item(entry);
      }
      if (out_.size() == first_item) {
        pb_.warn(line, yaml_col(entry), "schedule entry has no events or topic; nothing is taken");
        out_.resize(mark);
      }
    }
  }

 private:
  void synth(std::string text, int line) { out_.push_back({std::move(text), line}); }

  // "2023-4-17" -> 2023-04-17 (warned), "2023-02-29" -> kept and warned; nullopt when not ISO.
  std::optional<std::string> iso_heading(const YAML::Node& n) {
    const std::string v = scalar_of(n);
    int parts[3] = {0, 0, 0};
    std::size_t digits[3] = {0, 0, 0};
    std::size_t k = 0;
    for (char ch : v) {
      if (ch == '-' && k < 2 && digits[k] > 0) {
        ++k;
      } else if (ch >= '0' && ch <= '9' && digits[k] < 4) {
        parts[k] = parts[k] * 10 + (ch - '0');
        ++digits[k];
      } else {
        break;
      }
    }
    const int l = yaml_line(n);
    const int c = yaml_col(n);
    if (k != 2 || digits[0] != 4 || digits[1] == 0 || digits[1] > 2 || digits[2] == 0 ||
        digits[2] > 2 || v.size() != digits[0] + digits[1] + digits[2] + 2) {
      pb_.warn(l, c, "schedule date '" + v + "' is not a YYYY-MM-DD date; the entry is ignored");
      return std::nullopt;
    }
    auto two = [](int x) { return (x < 10 ? "0" : "") + std::to_string(x); };
    std::string iso = std::to_string(parts[0]) + "-" + two(parts[1]) + "-" + two(parts[2]);
    const date::year_month_day ymd{date::year{parts[0]},
                                   date::month{static_cast<unsigned>(parts[1])},
                                   date::day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok()) {
      pb_.warn(l, c,
               "schedule date '" + v + "' does not exist; its items are kept and placed by week");
    } else if (digits[1] != 2 || digits[2] != 2) {
      pb_.warn(l, c, "schedule date '" + v + "' is not zero-padded; read as " + iso);
    }
    return iso;
  }

  // One event object or item object: name/label/type, title/topic/topics, description, due,
  // reading(s), and link fields (slides, url, video, ...) become a definition and its link lines.
  void item(const YAML::Node& obj) {
    const int line = yaml_line(obj);
    std::string label = scalar_of(obj["name"]);
    if (label.empty()) label = scalar_of(obj["label"]);
    if (label.empty()) label = scalar_of(obj["type"]);
    std::replace(label.begin(), label.end(), '_', ' ');  // "problem_set": "Problem set"
    if (!label.empty() && label[0] >= 'a' && label[0] <= 'z')
      label[0] = static_cast<char>(label[0] - 'a' + 'A');
    std::string title = joined(obj["title"]);
    if (title.empty()) title = joined(obj["topic"]);
    if (title.empty()) title = joined(obj["topics"]);
    std::string description = joined(obj["description"]);
    std::vector<std::string> nested;
    // "Set 01 - Vector Calculus" + description "Vector Calculus" says it once.
    if (!description.empty() && lowercase_ascii(title).find(lowercase_ascii(description)) == npos) {
      if (description.find("](") != npos)
        nested.push_back(description);
      else
        title += (title.empty() ? "" : " - ") + description;
    }
    std::string due;
    for (const char* key : {"due", "due_date", "deadline"})
      if (due.empty()) due = scalar_of(obj[key]);
    if (!due.empty()) title += " (Due " + due + ")";
    // A video or slides of the day's class ("type: lecture_video") is that class's link.
    const std::string link =
        scalar_of(obj["link"]).empty() ? scalar_of(obj["url"]) : scalar_of(obj["link"]);
    const std::string kind = lowercase_ascii(label);
    if (previous_item_ && due.empty() && !title.empty() && !link.empty() &&
        (kind.find("video") != npos || kind.find("slides") != npos ||
         kind.find("recording") != npos || kind.find("notes") != npos)) {
      synth("  : [" + title + "](" + link + ")", line);
      return;
    }
    previous_item_ = true;
    std::string def = ": ";
    if (!label.empty()) def += "**" + label + "**{: .label } ";
    def += title;
    synth(def, line);
    for (const auto& n : nested) synth("  : " + n, line);
    for (const char* key : {"reading", "readings"}) {
      const YAML::Node r = obj[key];
      if (!r) continue;
      std::vector<std::string> values;
      if (r.IsScalar()) values.push_back(one_line(r.Scalar()));
      if (r.IsSequence())
        for (const auto& v : r)
          if (v.IsScalar()) values.push_back(one_line(v.Scalar()));
      for (const auto& v : values) {
        if (v.empty()) continue;
        synth("  * " + (looks_like_url(v) ? "[Reading](" + v + ")" : v), yaml_line(r));
      }
    }
    static constexpr std::array<std::string_view, 13> link_keys{
        "url", "link",  "slides", "video", "recording", "notes",  "code",
        "pdf", "files", "demo",   "lab",   "homework",  "handout"};
    for (const auto& kv : obj) {
      if (!kv.first.IsScalar()) continue;
      const std::string key = kv.first.Scalar();
      // "solution_link", "video_url": a link named by what comes before the suffix.
      std::string name;
      for (std::string_view suffix : {"_link", "_url"})
        if (key.size() > suffix.size() && key.ends_with(suffix))
          name = key.substr(0, key.size() - suffix.size());
      if (name.empty() && std::find(link_keys.begin(), link_keys.end(), key) == link_keys.end())
        continue;
      if (name.empty()) name = key == "url" || key == "link" ? std::string("Link") : key;
      std::replace(name.begin(), name.end(), '_', ' ');
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      const std::string v = scalar_of(kv.second);
      if (v.empty()) continue;
      synth("  : " + (v.find("](") != npos ? v : "[" + name + "](" + v + ")"),
            yaml_line(kv.second));
    }
    if (obj["links"] && obj["links"].IsMap()) {
      for (const auto& kv : obj["links"]) {
        const std::string v = scalar_of(kv.second);
        if (kv.first.IsScalar() && !v.empty())
          synth("  : [" + one_line(kv.first.Scalar()) + "](" + v + ")", yaml_line(kv.second));
      }
    }
  }

  page_builder& pb_;
  std::vector<synthetic_line>& out_;
  bool previous_item_ = false;  // the date has an item a video or slides item can belong to
};

}  // namespace

bool read_front_matter_schedule(const YAML::Node& root, page_builder& pb,
                                std::vector<synthetic_line>& out) {
  if (!root.IsMap()) return false;
  bool found = false;
  try {
    schedule_reader reader(pb, out);
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) continue;
      const std::string key = kv.first.Scalar();
      if ((key == "days" || key == "contents") && kv.second.IsSequence()) {
        reader.read(key, kv.second);
        found = true;
      }
    }
  } catch (const YAML::Exception& e) {
    pb.warn(1, 0, "front matter could not be read (" + e.msg + ")");
  }
  for (auto& l : out)
    l.text = render_liquid_inline(l.text, pb.loc(l.line, 0), pb.site(), pb.diags());
  return found;
}

}  // namespace coursecal::content::detail
