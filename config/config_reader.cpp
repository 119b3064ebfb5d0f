#include "config/config_reader.hpp"

#include "config/yaml_tree.hpp"
#include "core/time_format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include <date/tz.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>

namespace coursecal::config {
namespace {

namespace fs = std::filesystem;
using names = std::span<const std::string_view>;

constexpr std::array<std::string_view, 2> top_fields{"server", "feeds"};
constexpr std::array<std::string_view, 3> server_fields{"listen", "public_url", "refresh"};
constexpr std::array<std::string_view, 12> feed_fields{
    "id",       "site",    "name",   "short_name", "timezone",      "term",
    "meetings", "changes", "events", "deadlines",  "holiday_notes", "url"};
constexpr std::array<std::string_view, 5> term_fields{"start", "end", "week1", "holidays",
                                                      "breaks"};
constexpr std::array<std::string_view, 4> holiday_fields{"date", "from", "to", "name"};
constexpr std::array<std::string_view, 3> break_fields{"from", "to", "name"};
constexpr std::array<std::string_view, 8> meeting_fields{"kind",     "days", "start", "end",
                                                         "location", "from", "until", "name"};
constexpr std::array<std::string_view, 8> change_fields{"date",  "kind", "cancel",   "to",
                                                        "start", "end",  "location", "note"};
constexpr std::array<std::string_view, 7> event_fields{"title",    "date", "start",      "end",
                                                       "location", "kind", "description"};
constexpr std::array<std::string_view, 1> deadline_fields{"time"};
constexpr std::array<std::string_view, 6> meeting_kinds{"lecture", "discussion",   "section",
                                                        "lab",     "office-hours", "other"};
// Index = date::weekday::c_encoding() (Sunday = 0).
constexpr std::array<std::string_view, 7> short_days{"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> long_days{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};
// The order in messages: the week as a course calendar shows it.
constexpr std::array<std::string_view, 7> day_list{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
// Suggestions for misspelt weekdays, short or long.
constexpr std::array<std::string_view, 14> day_spellings{
    "Mon",    "Tue",     "Wed",       "Thu",      "Fri",    "Sat",      "Sun",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string join(names list) {
  std::string out;
  for (std::string_view n : list) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Case-insensitive Levenshtein distance; inputs are short field names.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

// "; did you mean 'x'?" for the closest name within 2 edits (and closer than a rewrite).
std::string suggestion(std::string_view given, names known) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (std::string_view k : known) {
    const std::size_t d = edit_distance(given, k);
    if (d < best_distance && d < k.size()) {
      best = k;
      best_distance = d;
    }
  }
  // "cancelled" for "cancel": a known name followed by an ending is a likely slip too.
  if (best.empty()) {
    const std::string g = to_lower(given);
    for (std::string_view k : known) {
      if (k.size() >= 4 && g.size() > k.size() && g.starts_with(to_lower(k))) best = k;
    }
  }
  if (best.empty()) return {};
  return "; did you mean '" + std::string(best) + "'?";
}

std::string weekday_name(date::weekday wd) { return std::string(long_days[wd.c_encoding()]); }

// Strict YYYY-MM-DD; 2025-02-29 is well-formed but not a date (`valid` tells them apart).
std::optional<date::year_month_day> parse_ymd(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(s[i])) return std::nullopt;
  }
  auto num = [&](std::size_t from, std::size_t len) {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  return date::year_month_day{date::year{num(0, 4)}, date::month{static_cast<unsigned>(num(5, 2))},
                              date::day{static_cast<unsigned>(num(8, 2))}};
}

std::optional<date::weekday> parse_weekday(std::string_view s) {
  const std::string l = to_lower(s);
  for (unsigned i = 0; i < 7; ++i) {
    if (l == to_lower(short_days[i]) || l == to_lower(long_days[i])) return date::weekday{i};
  }
  return std::nullopt;
}

std::string describe(const yaml_node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return n.size() == 0 ? "an empty list" : "a list";
  if (n.IsMap()) return "a map";
  return "'" + n.Scalar() + "'";
}

bool contains_word(const std::string& lowered, std::string_view word) {
  return lowered.find(word) != std::string::npos;
}

struct field {
  std::string name;
  yaml_node key;
  yaml_node value;
};

// The checked fields of one YAML map, in the order written.
struct fields {
  yaml_node node;
  std::string what;  // "feed", "term", ...: names the map in messages
  std::vector<field> items;

  const field* find(std::string_view name) const {
    for (const field& f : items) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
};

// Walks the YAML by the schema only: never generically, so aliases (even cyclic ones) cost no
// more than the entries the schema asks for.
class reader {
 public:
  reader(std::string path, bool check_sites) : path_(std::move(path)), check_sites_(check_sites) {}

  app_config read(std::string_view text) {
    app_config app;
    app.path = path_;
    const fs::path parent = fs::path(path_).parent_path();
    app.dir = parent.empty() ? std::string(".") : parent.string();
    dir_ = app.dir;

    const yaml_documents loaded = load_yaml(text);
    if (const auto& stuck = loaded.stuck_at) {
      const bool comma = stuck->pos >= 0 && static_cast<std::size_t>(stuck->pos) < text.size() &&
                         text[static_cast<std::size_t>(stuck->pos)] == ',';
      diags_.error({path_, stuck->line + 1, stuck->column + 1},
                   comma ? "YAML syntax error: ',' outside [ ] or { }"
                         : "YAML syntax error: the parser cannot go past this point");
      return app;
    }
    const std::vector<yaml_node>& docs = loaded.docs;
    if (docs.empty() || docs[0].IsNull()) {
      diags_.error({path_, 1, 1}, "the configuration is empty (expected a map with 'feeds')");
      return app;
    }
    if (docs.size() > 1) {
      diags_.error(loc(docs[1]), "the configuration must be one YAML document, found " +
                                     std::to_string(docs.size()));
    }
    const yaml_node& root = docs[0];
    if (!root.IsMap()) {
      diags_.error(loc(root),
                   "the configuration must be a map with 'feeds', got " + describe(root));
      return app;
    }
    const fields top = map_fields(root, "configuration", top_fields);
    if (const field* s = present(top, "server")) read_server(*s, app.server);
    read_feeds(top, app);
    return app;
  }

  diagnostics& diags() { return diags_; }

 private:
  source_loc loc(const yaml_node& n) const {
    try {
      if (!n.IsDefined()) return {path_, 0, 0};
      const YAML::Mark m = n.Mark();
      if (m.is_null()) return {path_, 0, 0};
      return {path_, m.line + 1, m.column + 1};
    } catch (const YAML::Exception&) {
      return {path_, 0, 0};
    }
  }

  // The value's place, or its key's when the value is empty (yaml-cpp puts a null's mark on
  // whatever token follows, often the next line).
  source_loc loc(const field& f) const {
    return f.value.IsDefined() && !f.value.IsNull() ? loc(f.value) : loc(f.key);
  }

  void error(const source_loc& l, std::string message) { diags_.error(l, std::move(message)); }
  void warn(const source_loc& l, std::string message) { diags_.warn(l, std::move(message)); }

  // Checks field names (known, not repeated). `node` must be a map.
  fields map_fields(const yaml_node& node, std::string what, names known) {
    fields out{node, std::move(what), {}};
    for (const auto& [key, value] : node.pairs()) {
      if (!key.IsScalar()) {
        error(loc(key), "field names in " + out.what + " must be plain text, got " + describe(key));
        continue;
      }
      const std::string name = key.Scalar();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        error(loc(key), "unknown field '" + name + "' in " + out.what +
                            " (expected one of: " + join(known) + ")" + suggestion(name, known));
        continue;
      }
      if (const field* first = out.find(name)) {
        error(loc(key), "duplicate field '" + name + "' in " + out.what + " (first given at line " +
                            std::to_string(loc(first->key).line) + ")");
        continue;
      }
      out.items.push_back({name, key, value});
    }
    return out;
  }

  // `subject` names the node for the "must be a map" message ("'term' in feed").
  std::optional<fields> as_map(const yaml_node& node, const source_loc& where,
                               const std::string& subject, std::string what, names known) {
    if (!node.IsMap()) {
      error(where, subject + " must be a map, got " + describe(node));
      return std::nullopt;
    }
    return map_fields(node, std::move(what), known);
  }

  // A field with a value; empty values (`key:` alone) count as absent.
  const field* present(const fields& f, std::string_view name) const {
    const field* p = f.find(name);
    if (p == nullptr || !p->value.IsDefined() || p->value.IsNull()) return nullptr;
    return p;
  }

  const field* required(const fields& f, std::string_view name) {
    const field* p = present(f, name);
    if (p == nullptr) {
      const field* empty = f.find(name);
      error(empty != nullptr ? loc(empty->key) : loc(f.node),
            "missing required field '" + std::string(name) + "' in " + f.what);
    }
    return p;
  }

  std::string subject(const fields& f, const field& p) const {
    return "'" + p.name + "' in " + f.what;
  }

  std::optional<std::string> text(const fields& f, std::string_view name, bool is_required) {
    const field* p = is_required ? required(f, name) : present(f, name);
    if (p == nullptr) return std::nullopt;
    if (!p->value.IsScalar()) {
      error(loc(*p), subject(f, *p) + " must be text, got " + describe(p->value));
      return std::nullopt;
    }
    if (is_required && p->value.Scalar().empty()) {
      error(loc(*p), subject(f, *p) + " must not be empty");
      return std::nullopt;
    }
    return p->value.Scalar();
  }

  std::optional<date::sys_days> date_value(const fields& f, std::string_view name,
                                           bool is_required) {
    const field* p = is_required ? required(f, name) : present(f, name);
    if (p == nullptr) return std::nullopt;
    const std::optional<date::year_month_day> ymd =
        p->value.IsScalar() ? parse_ymd(p->value.Scalar()) : std::nullopt;
    if (!ymd) {
      error(loc(*p), subject(f, *p) + " must be a date YYYY-MM-DD, got " + describe(p->value));
      return std::nullopt;
    }
    if (!ymd->ok()) {
      error(loc(*p), subject(f, *p) + " must be a real calendar date, got " + describe(p->value));
      return std::nullopt;
    }
    return date::sys_days{*ymd};
  }

  std::optional<int> clock_value(const fields& f, std::string_view name, bool is_required) {
    const field* p = is_required ? required(f, name) : present(f, name);
    if (p == nullptr) return std::nullopt;
    // Unquoted 11:00 reaches us as the scalar text "11:00": yaml-cpp keeps YAML 1.1's
    // sexagesimal numbers as text.
    std::optional<int> m = p->value.IsScalar() ? parse_clock(p->value.Scalar()) : std::nullopt;
    if (!m) {
      error(loc(*p), subject(f, *p) + " must be a 24-hour time HH:MM, got " + describe(p->value));
    }
    return m;
  }

  std::optional<bool> bool_value(const fields& f, std::string_view name) {
    const field* p = present(f, name);
    if (p == nullptr) return std::nullopt;
    if (p->value.IsScalar()) {
      const std::string v = to_lower(p->value.Scalar());
      if (v == "true" || v == "yes") return true;
      if (v == "false" || v == "no") return false;
    }
    error(loc(*p), subject(f, *p) + " must be true or false, got " + describe(p->value));
    return std::nullopt;
  }

  // Both present: `end` strictly after `start`.
  void check_order(const fields& f, std::optional<int> start, std::optional<int> end) {
    if (start && end && *end <= *start) {
      error(loc(*f.find("end")), "'end' (" + clock_text(*end) + ") in " + f.what +
                                     " must be after 'start' (" + clock_text(*start) + ")");
    }
  }

  std::optional<std::string> kind_value(const fields& f) {
    std::optional<std::string> kind = text(f, "kind", f.what == "meeting");
    if (!kind) return std::nullopt;
    if (std::find(meeting_kinds.begin(), meeting_kinds.end(), *kind) == meeting_kinds.end()) {
      error(loc(*f.find("kind")), "unknown kind '" + *kind + "' in " + f.what +
                                      " (expected one of: " + join(meeting_kinds) + ")" +
                                      suggestion(*kind, meeting_kinds));
      return std::nullopt;
    }
    return kind;
  }

  // The entries of an optional list field, each checked to be a map.
  std::vector<fields> list_of_maps(const fields& f, std::string_view name, std::string what,
                                   names known) {
    std::vector<fields> out;
    const field* p = present(f, name);
    if (p == nullptr) return out;
    if (!p->value.IsSequence()) {
      error(loc(*p), subject(f, *p) + " must be a list, got " + describe(p->value));
      return out;
    }
    for (const yaml_node& entry : p->value) {
      if (auto m = as_map(entry, loc(entry), "each entry of '" + p->name + "'", what, known)) {
        out.push_back(std::move(*m));
      }
    }
    return out;
  }

  void read_server(const field& s, server_config& server) {
    server.loc = loc(s);
    const auto f = as_map(s.value, loc(s), "'server'", "server", server_fields);
    if (!f) return;
    if (const auto listen = text(*f, "listen", false)) {
      if (!parse_listen(*listen, server.listen_host, server.listen_port)) {
        error(loc(*f->find("listen")),
              "'listen' in server must be host:port or [IPv6]:port with a port from 0 to 65535, "
              "got '" +
                  *listen + "'");
      }
    }
    if (const auto url = text(*f, "public_url", false)) {
      if (const auto clean = clean_url(*url)) {
        server.public_url = *clean;
      } else {
        error(loc(*f->find("public_url")),
              "'public_url' in server must be an http:// or https:// URL, got '" + *url + "'");
      }
    }
    if (const auto refresh = text(*f, "refresh", false)) {
      if (const auto seconds = parse_iso_duration(*refresh)) {
        server.refresh = *refresh;
        server.refresh_seconds = *seconds;
      } else {
        error(loc(*f->find("refresh")),
              "'refresh' in server must be a non-zero ISO 8601 duration such as PT6H, got '" +
                  *refresh + "'");
      }
    }
  }

  static bool parse_listen(const std::string& s, std::string& host, int& port) {
    std::string_view h;
    std::string_view p;
    const std::string_view v = s;
    if (!v.empty() && v.front() == '[') {
      const std::size_t close = v.find(']');
      if (close == std::string_view::npos || close + 1 >= v.size() || v[close + 1] != ':') {
        return false;
      }
      h = v.substr(1, close - 1);
      p = v.substr(close + 2);
      const bool ok_chars = std::all_of(h.begin(), h.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '%';
      });
      if (h.find(':') == std::string_view::npos || !ok_chars) return false;
    } else {
      const std::size_t colon = v.rfind(':');
      if (colon == std::string_view::npos) return false;
      h = v.substr(0, colon);
      p = v.substr(colon + 1);
      // An unbracketed IPv6 address is ambiguous ("::1:8080"), so it must be bracketed.
      const bool ok_chars = std::all_of(h.begin(), h.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
      });
      if (!ok_chars) return false;
    }
    if (h.empty() || p.empty() || p.size() > 5) return false;
    if (!std::all_of(p.begin(), p.end(), is_digit)) return false;
    const int n = std::stoi(std::string(p));
    if (n > 65535) return false;
    host = std::string(h);
    port = n;
    return true;
  }

  static std::optional<std::string> clean_url(std::string url) {
    const std::string l = to_lower(url);
    std::size_t scheme = 0;
    if (l.starts_with("https://")) {
      scheme = 8;
    } else if (l.starts_with("http://")) {
      scheme = 7;
    } else {
      return std::nullopt;
    }
    if (url.size() <= scheme || url[scheme] == '/') return std::nullopt;
    const bool has_space = std::any_of(url.begin(), url.end(), [](char c) {
      return std::isspace(static_cast<unsigned char>(c)) ||
             std::iscntrl(static_cast<unsigned char>(c));
    });
    if (has_space) return std::nullopt;
    // Links are built as public_url + "/id.ics".
    while (url.size() > scheme + 1 && url.back() == '/') url.pop_back();
    return url;
  }

  void read_feeds(const fields& top, app_config& app) {
    const field* feeds = required(top, "feeds");
    if (feeds == nullptr) return;
    if (!feeds->value.IsSequence()) {
      error(loc(*feeds), "'feeds' must be a list of feeds, got " + describe(feeds->value));
      return;
    }
    if (feeds->value.size() == 0) {
      error(loc(*feeds), "'feeds' must list at least one feed");
      return;
    }
    std::map<std::string, int> first_line;
    for (const yaml_node& entry : feeds->value) {
      const auto f = as_map(entry, loc(entry), "each entry of 'feeds'", "feed", feed_fields);
      if (!f) continue;
      feed_config feed = read_feed(*f);
      if (!feed.id.empty()) {
        const auto [it, inserted] = first_line.emplace(feed.id, feed.loc.line);
        if (!inserted) {
          error(loc(*f->find("id")), "duplicate feed id '" + feed.id + "' (first defined at line " +
                                         std::to_string(it->second) + ")");
        }
      }
      app.feeds.push_back(std::move(feed));
    }
  }

  feed_config read_feed(const fields& f) {
    feed_config feed;
    feed.loc = loc(f.node);
    if (const auto id = text(f, "id", true)) {
      if (valid_id(*id)) {
        feed.id = *id;
      } else {
        error(loc(*f.find("id")), "'id' in feed must match [a-z0-9][a-z0-9-]*, got '" + *id + "'");
      }
    }
    if (const auto site = text(f, "site", true)) read_site(*f.find("site"), *site, feed);
    feed.name = text(f, "name", false).value_or("");
    feed.short_name = text(f, "short_name", false).value_or("");
    if (const auto url = text(f, "url", false)) {
      if (const auto clean = clean_url(*url)) {
        feed.url = *clean;
      } else {
        error(loc(*f.find("url")),
              "'url' in feed must be an http:// or https:// URL, got '" + *url + "'");
      }
    }
    // Optional: a feed that names none takes the site's _config.yml timezone (the pipeline).
    if (const auto tz = text(f, "timezone", false); tz && !tz->empty()) {
      if (known_zone(*tz, loc(*f.find("timezone")))) feed.timezone = *tz;
    }

    bool term_ok = false;
    if (const field* t = required(f, "term")) term_ok = read_term(*t, feed.term);
    const term_config* term = term_ok ? &feed.term : nullptr;

    for (const fields& m : list_of_maps(f, "meetings", "meeting", meeting_fields)) {
      if (auto rule = read_meeting(m, term)) feed.meetings.push_back(std::move(*rule));
    }
    for (const fields& c : list_of_maps(f, "changes", "change", change_fields)) {
      if (auto change = read_change(c, term, feed.meetings)) {
        feed.changes.push_back(std::move(*change));
      }
    }
    for (const fields& e : list_of_maps(f, "events", "event", event_fields)) {
      if (auto event = read_event(e)) feed.events.push_back(std::move(*event));
    }
    if (const field* d = present(f, "deadlines")) {
      if (const auto df =
              as_map(d->value, loc(*d), "'deadlines' in feed", "deadlines", deadline_fields)) {
        feed.deadline_time = clock_value(*df, "time", false);
      }
    }
    if (const auto notes = bool_value(f, "holiday_notes")) feed.holiday_notes = *notes;
    return feed;
  }

  static bool valid_id(const std::string& id) {
    auto ok = [](char c) { return (c >= 'a' && c <= 'z') || is_digit(c); };
    return !id.empty() && ok(id[0]) &&
           std::all_of(id.begin(), id.end(), [&](char c) { return ok(c) || c == '-'; });
  }

  void read_site(const field& p, const std::string& site, feed_config& feed) {
    feed.site = site;
    fs::path resolved = (fs::path(dir_) / site).lexically_normal();
    // "dsc204a/" normalises to "dsc204a/"; drop the trailing separator for tidy messages.
    if (!resolved.has_filename() && resolved.has_relative_path()) {
      resolved = resolved.parent_path();
    }
    feed.site_path = resolved.string();
    if (!check_sites_) return;
    std::error_code ec;
    const fs::file_status st = fs::status(resolved, ec);
    if (!fs::exists(st)) {
      error(loc(p), "site folder '" + feed.site_path + "' does not exist");
    } else if (!fs::is_directory(st)) {
      error(loc(p), "site '" + feed.site_path + "' is not a folder");
    }
  }

  bool known_zone(const std::string& name, const source_loc& where) {
    // Loading the database is an environment matter; say so once instead of blaming every name.
    if (!tzdb_checked_) {
      tzdb_checked_ = true;
      try {
        (void)date::get_tzdb();
      } catch (const std::exception& e) {
        tzdb_error_ = e.what();
      }
    }
    if (!tzdb_error_.empty()) {
      error(where, "cannot check time zone '" + name + "': the time zone database did not load (" +
                       tzdb_error_ + ")");
      return false;
    }
    try {
      (void)date::locate_zone(name);
      return true;
    } catch (const std::exception&) {
      error(where, "unknown time zone '" + name +
                       "' in 'timezone' (expected an IANA name such as America/Los_Angeles)");
      return false;
    }
  }

  // True when start and end are known (so later entries can be checked against the term).
  bool read_term(const field& t, term_config& term) {
    term.loc = loc(t);
    const auto f = as_map(t.value, loc(t), "'term' in feed", "term", term_fields);
    if (!f) return false;
    const auto start = date_value(*f, "start", true);
    const auto end = date_value(*f, "end", true);
    const auto week1 = date_value(*f, "week1", false);
    bool ok = start && end;
    if (ok && *end < *start) {
      error(loc(*f->find("end")),
            "'end' (" + iso_date(*end) + ") in term is before 'start' (" + iso_date(*start) + ")");
      ok = false;
    }
    if (start) term.start = *start;
    if (end) term.end = *end;
    if (week1) {
      const date::weekday wd{*week1};
      if (wd != date::Monday) {
        error(loc(*f->find("week1")), "'week1' in term must be a Monday, got " + iso_date(*week1) +
                                          " (a " + weekday_name(wd) + ")");
      }
      term.week1 = *week1;
    } else if (start) {
      term.week1 = *start - (date::weekday{*start} - date::Monday);
    }
    const term_config* range = ok ? &term : nullptr;
    for (const fields& h : list_of_maps(*f, "holidays", "holiday", holiday_fields)) {
      if (auto r = read_range(h, true, range)) term.holidays.push_back(std::move(*r));
    }
    for (const fields& b : list_of_maps(*f, "breaks", "break", break_fields)) {
      if (auto r = read_range(b, false, range)) term.breaks.push_back(std::move(*r));
    }
    return ok;
  }

  std::optional<day_range> read_range(const fields& f, bool allow_single, const term_config* term) {
    day_range r;
    r.loc = loc(f.node);
    r.name = text(f, "name", false).value_or("");
    std::optional<date::sys_days> from;
    std::optional<date::sys_days> to;
    const bool has_date = allow_single && present(f, "date") != nullptr;
    const bool has_range = present(f, "from") != nullptr || present(f, "to") != nullptr;
    if (has_date && has_range) {
      error(r.loc, f.what + " has both 'date' and 'from'/'to' (give one or the other)");
      return std::nullopt;
    }
    if (has_date) {
      from = to = date_value(f, "date", true);
    } else if (allow_single && !has_range) {
      error(r.loc, f.what + " needs either 'date' or 'from' and 'to'");
      return std::nullopt;
    } else {
      from = date_value(f, "from", true);
      to = date_value(f, "to", true);
    }
    if (!from || !to) return std::nullopt;
    if (*to < *from) {
      error(loc(*f.find("to")), "'to' (" + iso_date(*to) + ") in " + f.what +
                                    " is before 'from' (" + iso_date(*from) + ")");
      return std::nullopt;
    }
    r.from = *from;
    r.to = *to;
    if (term != nullptr) warn_outside(r.loc, f.what, r.name, r.from, r.to, *term);
    return r;
  }

  void warn_outside(const source_loc& where, const std::string& what, const std::string& name,
                    date::sys_days from, date::sys_days to, const term_config& term) {
    if (from >= term.start && to <= term.end) return;
    std::string label = what;
    if (!name.empty()) label += " '" + name + "'";
    label += " (" + iso_date(from);
    if (to != from) label += " to " + iso_date(to);
    label += ")";
    const bool disjoint = to < term.start || from > term.end;
    warn(where, label + (disjoint ? " is outside" : " extends outside") + " the term (" +
                    iso_date(term.start) + " to " + iso_date(term.end) + ")");
  }

  std::optional<meeting_rule> read_meeting(const fields& f, const term_config* term) {
    meeting_rule m;
    m.loc = loc(f.node);
    bool ok = true;
    const auto kind = kind_value(f);
    ok = ok && kind.has_value();
    if (kind) m.kind = *kind;
    ok = read_days(f, m.days) && ok;
    const auto start = clock_value(f, "start", true);
    const auto end = clock_value(f, "end", true);
    check_order(f, start, end);
    ok = ok && start && end && *end > *start;
    if (start) m.start = *start;
    if (end) m.end = *end;
    m.location = text(f, "location", false).value_or("");
    m.name = text(f, "name", false).value_or("");
    m.from = date_value(f, "from", false);
    m.until = date_value(f, "until", false);
    if (m.from && m.until && *m.until < *m.from) {
      error(loc(*f.find("until")), "'until' (" + iso_date(*m.until) +
                                       ") in meeting is before 'from' (" + iso_date(*m.from) + ")");
      ok = false;
    }
    if (term != nullptr) {
      if (m.from && (*m.from < term->start || *m.from > term->end)) {
        warn(loc(*f.find("from")), "'from' (" + iso_date(*m.from) +
                                       ") in meeting is outside the term (" +
                                       iso_date(term->start) + " to " + iso_date(term->end) + ")");
      }
      if (m.until && (*m.until < term->start || *m.until > term->end)) {
        warn(loc(*f.find("until")), "'until' (" + iso_date(*m.until) +
                                        ") in meeting is outside the term (" +
                                        iso_date(term->start) + " to " + iso_date(term->end) + ")");
      }
    }
    if (!ok) return std::nullopt;
    return m;
  }

  bool read_days(const fields& f, std::vector<date::weekday>& days) {
    const field* p = required(f, "days");
    if (p == nullptr) return false;
    if (!p->value.IsSequence() || p->value.size() == 0) {
      error(loc(*p), "'days' in meeting must be a non-empty list of weekdays (" + join(day_list) +
                         "), got " + describe(p->value));
      return false;
    }
    bool ok = true;
    for (const yaml_node& d : p->value) {
      const std::optional<date::weekday> wd =
          d.IsScalar() ? parse_weekday(d.Scalar()) : std::nullopt;
      if (!wd) {
        if (d.IsScalar()) {
          error(loc(d), "unknown weekday '" + d.Scalar() + "' in 'days' (expected one of: " +
                            join(day_list) + ")" + suggestion(d.Scalar(), day_spellings));
        } else {
          error(loc(d), "each entry of 'days' must be a weekday (" + join(day_list) + "), got " +
                            describe(d));
        }
        ok = false;
        continue;
      }
      if (std::find(days.begin(), days.end(), *wd) != days.end()) {
        warn(loc(d), "weekday '" + d.Scalar() + "' is listed twice in 'days'");
        continue;
      }
      days.push_back(*wd);
    }
    return ok;
  }

  std::optional<meeting_change> read_change(const fields& f, const term_config* term,
                                            const std::vector<meeting_rule>& meetings) {
    meeting_change c;
    c.loc = loc(f.node);
    bool ok = true;
    const auto day = date_value(f, "date", true);
    ok = ok && day.has_value();
    if (day) c.date = *day;
    if (present(f, "kind") != nullptr) {
      const auto kind = kind_value(f);
      ok = ok && kind.has_value();
      if (kind) c.kind = *kind;
    }
    const auto cancel = bool_value(f, "cancel");
    ok = ok && (cancel.has_value() || present(f, "cancel") == nullptr);
    c.cancel = cancel.value_or(false);
    c.to = date_value(f, "to", false);
    ok = ok && (c.to.has_value() || present(f, "to") == nullptr);
    c.start = clock_value(f, "start", false);
    c.end = clock_value(f, "end", false);
    ok = ok && (c.start.has_value() || present(f, "start") == nullptr);
    ok = ok && (c.end.has_value() || present(f, "end") == nullptr);
    check_order(f, c.start, c.end);
    ok = ok && !(c.start && c.end && *c.end <= *c.start);
    if (const auto location = text(f, "location", false)) c.location = *location;
    c.note = text(f, "note", false).value_or("");
    if (!ok) return std::nullopt;

    const std::string when = "change on " + iso_date(c.date);
    if (!c.cancel && !c.to && !c.start && !c.end && !c.location && c.note.empty()) {
      warn(c.loc, when + " does nothing (expected one of: cancel, to, start, end, location, note)");
    }
    if (c.cancel) {
      std::string ignored;
      for (std::string_view n : {"to", "start", "end", "location"}) {
        if (present(f, n) != nullptr)
          ignored += (ignored.empty() ? "'" : ", '") + std::string(n) + "'";
      }
      if (!ignored.empty())
        warn(c.loc, when + " cancels the meeting, so " + ignored + " has no effect");
    }
    if (term != nullptr) {
      if (c.date < term->start || c.date > term->end) {
        warn(c.loc, when + " is outside the term (" + iso_date(term->start) + " to " +
                        iso_date(term->end) + ")");
      } else if (!meetings.empty() && !scheduled(c, meetings)) {
        const std::string kind = c.kind.empty() ? meetings.front().kind : c.kind;
        warn(c.loc, when + ": no " + kind + " is scheduled that day (a " +
                        weekday_name(date::weekday{c.date}) + ")");
      }
      if (c.to && (*c.to < term->start || *c.to > term->end)) {
        warn(loc(*f.find("to")), "'to' (" + iso_date(*c.to) + ") in change is outside the term (" +
                                     iso_date(term->start) + " to " + iso_date(term->end) + ")");
      }
    }
    return c;
  }

  // Whether a meeting of the change's kind (default: the slot meeting's) falls on its date.
  static bool scheduled(const meeting_change& c, const std::vector<meeting_rule>& meetings) {
    const std::string& kind = c.kind.empty() ? meetings.front().kind : c.kind;
    const date::weekday wd{c.date};
    return std::any_of(meetings.begin(), meetings.end(), [&](const meeting_rule& m) {
      return m.kind == kind && std::find(m.days.begin(), m.days.end(), wd) != m.days.end() &&
             (!m.from || c.date >= *m.from) && (!m.until || c.date <= *m.until);
    });
  }

  std::optional<extra_event> read_event(const fields& f) {
    extra_event e;
    e.loc = loc(f.node);
    bool ok = true;
    const auto title = text(f, "title", true);
    ok = ok && title.has_value();
    if (title) e.title = *title;
    const auto day = date_value(f, "date", true);
    ok = ok && day.has_value();
    if (day) e.date = *day;
    e.start = clock_value(f, "start", false);
    e.end = clock_value(f, "end", false);
    const bool has_start = present(f, "start") != nullptr;
    const bool has_end = present(f, "end") != nullptr;
    ok = ok && (e.start || !has_start) && (e.end || !has_end);
    if (has_start != has_end) {
      error(e.loc, std::string("event has '") +
                       (has_start ? "start' but no 'end'" : "end' but no 'start'") +
                       " (give both for a timed event, neither for an all-day one)");
      ok = false;
    }
    check_order(f, e.start, e.end);
    ok = ok && !(e.start && e.end && *e.end <= *e.start);
    e.location = text(f, "location", false).value_or("");
    e.description = text(f, "description", false).value_or("");
    e.kind = text(f, "kind", false).value_or("");
    if (e.kind.empty()) {
      const std::string t = to_lower(e.title);
      const bool exam =
          contains_word(t, "exam") || contains_word(t, "midterm") || contains_word(t, "final");
      e.kind = exam ? "exam" : "event";
    }
    if (!ok) return std::nullopt;
    return e;
  }

  std::string path_;
  std::string dir_;
  bool check_sites_;
  bool tzdb_checked_ = false;
  std::string tzdb_error_;
  diagnostics diags_;
};

}  // namespace

std::optional<int> parse_clock(std::string_view s) {
  if (s.size() != 4 && s.size() != 5) return std::nullopt;
  const std::size_t colon = s.size() - 3;
  if (s[colon] != ':') return std::nullopt;
  int hours = 0;
  for (std::size_t i = 0; i < colon; ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    hours = hours * 10 + (s[i] - '0');
  }
  if (!is_digit(s[colon + 1]) || !is_digit(s[colon + 2])) return std::nullopt;
  const int minutes = (s[colon + 1] - '0') * 10 + (s[colon + 2] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::optional<long> parse_iso_duration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return std::nullopt;
  // Designators in the order they must appear, with their length in seconds.
  struct unit {
    char designator;
    bool time_part;
    long seconds;
  };
  constexpr std::array<unit, 5> units{{{'W', false, 7 * 86400L},
                                       {'D', false, 86400L},
                                       {'H', true, 3600L},
                                       {'M', true, 60L},
                                       {'S', true, 1L}}};
  std::size_t i = 1;
  std::size_t next_unit = 0;
  bool in_time = false;
  bool time_has_component = false;
  long total = 0;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      ++i;
      continue;
    }
    long value = 0;
    const std::size_t digits_start = i;
    while (i < s.size() && is_digit(s[i])) {
      const int d = s[i] - '0';
      if (value > (LONG_MAX - d) / 10) return std::nullopt;
      value = value * 10 + d;
      ++i;
    }
    if (i == digits_start || i == s.size()) return std::nullopt;
    const char designator = s[i++];
    std::size_t u = next_unit;
    while (u < units.size() &&
           (units[u].designator != designator || units[u].time_part != in_time)) {
      ++u;
    }
    // Years and months (date-part M) have no fixed length; out-of-order units are malformed.
    if (u == units.size()) return std::nullopt;
    next_unit = u + 1;
    if (in_time) time_has_component = true;
    if (value > (LONG_MAX - total) / units[u].seconds) return std::nullopt;
    total += value * units[u].seconds;
  }
  if (in_time && !time_has_component) return std::nullopt;
  if (total == 0) return std::nullopt;
  return total;
}

std::optional<app_config> parse_config(std::string_view yaml, const std::string& path,
                                       diagnostics& diags, bool check_sites) {
  reader r(path, check_sites);
  std::optional<app_config> app;
  try {
    app = r.read(yaml);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own message here is a misleading "bad file".
    r.diags().error({path, e.mark.line + 1, e.mark.column + 1},
                    "YAML nesting is too deep (" + std::to_string(e.depth()) + " levels)");
  } catch (const YAML::Exception& e) {
    const bool known = !e.mark.is_null();
    r.diags().error({path, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0},
                    "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    r.diags().error({path, 0, 0}, std::string("cannot read the configuration: ") + e.what());
  }
  r.diags().sort();
  diags.append(r.diags());
  if (r.diags().has_errors()) return std::nullopt;
  return app;
}

std::optional<app_config> read_config_file(const std::string& path, diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec(errno, std::generic_category());
    diags.error({path, 0, 0}, "cannot open the configuration file: " + ec.message());
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    diags.error({path, 0, 0}, "cannot read the configuration file");
    return std::nullopt;
  }
  return parse_config(text.str(), path, diags, true);
}

}  // namespace coursecal::config
