#include "daemon/snapshot.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include <date/date.h>

#include "daemon/parallel.hpp"

namespace coursecal {

namespace {

constexpr std::string_view page_head = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Course calendars</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2430;line-height:1.5}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
.feed{background:#fff;border:1px solid #d8dde5;border-radius:.6rem;padding:1rem 1.25rem;margin:1.25rem 0}
.feed h2{font-size:1.25rem;margin:.25rem 0 .75rem}
.subscribe{display:inline-block;background:#1f5fbf;color:#fff;text-decoration:none;padding:.5rem 1rem;border-radius:.4rem;font-weight:600}
.subscribe:hover,.subscribe:focus{background:#174a96}
.urlrow{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.url{font-family:ui-monospace,Menlo,Consolas,monospace;background:#eef1f5;padding:.3rem .5rem;border-radius:.3rem;word-break:break-all}
button.copy{font:inherit;padding:.25rem .75rem;border:1px solid #8a96a8;border-radius:.3rem;background:#fff;cursor:pointer}
.hint{color:#4a5566;font-size:.95rem}
.upcoming{padding-left:1.1rem}
.upcoming time{font-variant-numeric:tabular-nums;color:#4a5566}
.where{color:#4a5566}
.where::before{content:"\00b7  "}
</style>
</head>
<body>
<main>
<h1>Course calendars</h1>
<p>Subscribe once and your calendar app keeps the class schedule up to date: lectures, sections,
deadlines and exams, with links to slides and readings.</p>
)";

constexpr std::string_view page_tail = R"(</main>
<script>
document.querySelectorAll("button.copy").forEach(function (b) {
  b.addEventListener("click", function () {
    var url = b.getAttribute("data-url");
    var done = function () { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt("Copy the URL:", url); });
    } else {
      window.prompt("Copy the URL:", url);
    }
  });
});
</script>
</body>
</html>
)";

class page_builder {
 public:
  void text(std::string_view t) {
    if (!parts_.empty() && parts_.back().what == page_part::kind::text) {
      parts_.back().text += t;
    } else {
      parts_.push_back({page_part::kind::text, std::string(t), 0});
    }
  }
  void part(page_part::kind k, std::size_t feed = 0) { parts_.push_back({k, {}, feed}); }
  std::vector<page_part> take() { return std::move(parts_); }

 private:
  std::vector<page_part> parts_;
};

std::vector<page_part> build_page(const std::vector<served_feed>& feeds) {
  using k = page_part::kind;
  page_builder b;
  b.text(page_head);
  if (feeds.empty()) b.text("<p>No calendars are configured.</p>\n");
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const served_feed& f = feeds[i];
    const std::string file = html_escape(f.id) + ".ics";
    b.text("<section class=\"feed\" id=\"feed-" + html_escape(f.id) + "\">\n<h2>" +
           html_escape(f.name) + "</h2>\n<p><a class=\"subscribe\" href=\"");
    b.part(k::webcal_base);
    b.text("/" + file +
           "\">Subscribe</a> <span class=\"hint\">Apple Calendar, Outlook, Thunderbird: opens "
           "your calendar app and keeps the calendar up to date.</span></p>\n"
           "<p>Calendar URL:</p>\n<p class=\"urlrow\"><a class=\"url\" href=\"");
    b.part(k::base_url);
    b.text("/" + file + "\">");
    b.part(k::base_url);
    b.text("/" + file + "</a> <button type=\"button\" class=\"copy\" data-url=\"");
    b.part(k::base_url);
    b.text("/" + file +
           "\">Copy</button></p>\n"
           "<p class=\"hint\"><strong>Google Calendar:</strong> on a computer, click "
           "<em>+</em> next to <em>Other calendars</em>, choose <em>From URL</em>, paste the "
           "URL above and click <em>Add calendar</em>. Google refreshes subscribed calendars "
           "only every 8\u201324 hours, so a change can take up to a day to show there.</p>\n"
           "<p><a href=\"");
    b.part(k::base_url);
    b.text("/download/" + file +
           "\" download>Download a copy</a> <span class=\"hint\">(a one-time import that does "
           "not update)</span></p>\n<h3>Next sessions</h3>\n<ul class=\"upcoming\">\n");
    b.part(k::upcoming, i);
    b.text("</ul>\n</section>\n");
  }
  b.text(page_tail);
  return b.take();
}

std::string etag_of(std::string_view bytes) {
  return "\"" + sha256_hex(bytes).substr(0, 32) + "\"";
}

}  // namespace

const served_feed* snapshot::find_feed(std::string_view path) const {
  const auto it = by_path.find(path);
  return it == by_path.end() ? nullptr : &feeds[it->second];
}

std::shared_ptr<const snapshot> make_snapshot(const std::vector<feed_output>& feeds,
                                              const server_config& server,
                                              std::chrono::sys_seconds built_at,
                                              const snapshot* previous) {
  auto snap = std::make_shared<snapshot>();
  snap->public_url = server.public_url;
  while (!snap->public_url.empty() && snap->public_url.back() == '/') snap->public_url.pop_back();
  snap->refresh_seconds = server.refresh_seconds > 0 ? server.refresh_seconds : 6 * 3600;
  snap->feed_cache_control = "public, max-age=" + std::to_string(snap->refresh_seconds);
  snap->built_at = built_at;
  snap->robots = "User-agent: *\nAllow: /\n";

  snap->feeds.resize(feeds.size());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const feed_output& out = feeds[i];
    const std::string name = out.name.empty() ? out.id : out.name;
    const served_feed* old = previous ? previous->find_feed("/" + out.id + ".ics") : nullptr;
    if (old && old->name == name && old->last_modified == out.last_modified &&
        old->identity == out.ics) {
      snap->feeds[i] = *old;
    } else {
      todo.push_back(i);
    }
  }

  auto prepare = [&](std::size_t i) {
    const feed_output& out = feeds[i];
    served_feed& f = snap->feeds[i];
    f.id = out.id;
    f.name = out.name.empty() ? out.id : out.name;
    f.path = "/" + out.id + ".ics";
    f.identity = out.ics;
    f.gzip = shared_text(gzip_compress(f.identity));
    f.etag_identity = etag_of(f.identity);
    f.etag_gzip = etag_of(f.gzip);
    f.last_modified = out.last_modified;
    f.last_modified_http = http_date(out.last_modified);
    f.event_count = out.event_count;
    f.upcoming = out.upcoming ? out.upcoming : std::make_shared<const upcoming_list>();
  };
  parallel_for(todo.size(), 4, [&](std::size_t k) { prepare(todo[k]); });

  for (std::size_t i = 0; i < snap->feeds.size(); ++i) {
    snap->event_count += snap->feeds[i].event_count;
    snap->by_path.emplace(snap->feeds[i].path, i);
  }
  snap->page = build_page(snap->feeds);
  return snap;
}

std::shared_ptr<const snapshot> snapshot_store::get() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void snapshot_store::set(std::shared_ptr<const snapshot> snap) {
  std::lock_guard lock(mutex_);
  current_.swap(snap);  // the old one is released after the lock, when `snap` goes away
}

std::string gzip_compress(std::string_view data) {
  z_stream zs{};
  // 15 window bits + 16: a gzip wrapper instead of zlib's.
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  gz_header header{};
  header.time = 0;  // no timestamp: identical bytes give an identical ETag
  header.os = 3;    // unix, whatever the build machine
  deflateSetHeader(&zs, &header);
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  // zlib's API is not const-correct; deflate never writes through next_in.
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const auto written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate failed");
  out.resize(written);
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 0xf];
  }
  return out;
}

std::string http_date(std::int64_t unix_seconds) {
  const date::sys_seconds t{std::chrono::seconds{unix_seconds}};
  return date::format("%a, %d %b %Y %H:%M:%S GMT", t);
}

}  // namespace coursecal
