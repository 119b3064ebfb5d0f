// A Beast body that serves bytes owned elsewhere without copying them: a feed's bytes live in the
// snapshot and every response shares them (a reference count, not a 20-100 KB copy per request).
#pragma once

#include <cstdint>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "daemon/shared_text.hpp"

namespace coursecal {

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
