// A Beast body that serves bytes owned elsewhere without copying them: a feed's bytes live in the
// snapshot and every response shares them (a reference count, not a 20-100 KB copy per request).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

namespace coursecal {

// Immutable text with shared ownership. Copies share the bytes.
class shared_text {
 public:
  shared_text() = default;
  explicit shared_text(std::string text)
      : owner_(std::make_shared<const std::string>(std::move(text))),
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
  friend bool operator==(const shared_text& a, const shared_text& b) { return a.view_ == b.view_; }
  friend std::ostream& operator<<(std::ostream& out, const shared_text& t) {
    return out << t.view_;
  }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view view_;
};

// The Beast body type over shared_text: serialising hands the bytes to the socket as they are.
struct shared_text_body {
  using value_type = shared_text;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool is_request, class Fields>
    writer(const boost::beast::http::header<is_request, Fields>&, const value_type& body)
        : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      return {{const_buffers_type(body_.data(), body_.size()), false}};
    }

   private:
    const value_type& body_;
  };
};

}  // namespace coursecal
