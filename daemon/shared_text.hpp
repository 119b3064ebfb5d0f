// Immutable text with shared ownership: a feed's bytes are made once and then shared by the build
// cache, the snapshot and every response that sends them (a reference count, not a copy).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace coursecal {

// Copies share the bytes; nothing can change them.
class shared_text {
 public:
  shared_text() = default;
  // Kept for long (a snapshot's lifetime): capacity beyond the size is given back first (a string
  // built by appending, or a compression buffer sized for the worst case, can be twice as big).
  explicit shared_text(std::string text)
      : owner_(std::make_shared<const std::string>(shrunk(std::move(text)))),
        view_(*static_cast<const std::string*>(owner_.get())) {}

  std::string_view view() const { return view_; }
  operator std::string_view() const { return view_; }  // NOLINT(google-explicit-constructor)
  const char* data() const { return view_.data(); }
  std::size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }
  std::size_t find(std::string_view what, std::size_t pos = 0) const {
    return view_.find(what, pos);
  }
  std::string str() const { return std::string(view_); }

  friend bool operator==(const shared_text& a, std::string_view b) { return a.view_ == b; }
  // Shared bytes are equal without being compared (a snapshot checks 1000 feeds this way).
  friend bool operator==(const shared_text& a, const shared_text& b) {
    return (a.view_.data() == b.view_.data() && a.view_.size() == b.view_.size()) ||
           a.view_ == b.view_;
  }
  friend std::ostream& operator<<(std::ostream& out, const shared_text& t) {
    return out << t.view_;
  }

 private:
  static std::string shrunk(std::string text) {
    text.shrink_to_fit();
    return text;
  }

  std::shared_ptr<const void> owner_;
  std::string_view view_;
};

}  // namespace coursecal
