// WebSocketClient over TLS (wss://) against a WebSocketServer with a certificate made at test
// time: verified against that certificate (ca_file) it connects; with verification on and no
// trust in it, or with the wrong server name, the handshake fails, counted and reported
// unreachable; accept_self_signed connects unverified; an address with the wss link asks for
// TLS by itself. A server whose certificate file cannot be read does not start.

#include "ws_harness.hpp"

#include <courier/core/error.hpp>
#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;

/// A wss:// echo server on 127.0.0.1 and one client; true when an echo came back.
struct Tls {
  TestCertificate cert;
  std::optional<WebSocketServer> server;

  Tls() {
    BOOST_REQUIRE_MESSAGE(cert.made, "the openssl command could not make a certificate");
    WebSocketServerConfig c;
    c.certificate_file = cert.certificate;
    c.private_key_file = cert.key;
    server.emplace(*Address::parse("127.0.0.1:0"), c);
  }

  /// Sends through `client` to `target`; true when the echo arrived, false when the
  /// connection was reported unreachable (or the deadline passed).
  bool echo(WebSocketClient& client, const Address& target) {
    SteadyClock clock;
    std::vector<Datagram> back;
    bool unreachable = false;
    if (client.send(target, as_bytes("over tls"))) return false;
    pump_until([&] {
      server->update(clock.now());
      std::vector<Datagram> got;
      receive_into(*server, got);
      for (const Datagram& d : got) (void)server->send(d.from, d.bytes());
      server->flush();
      client.update(clock.now());
      receive_into(client, back);
      client.flush();
      unreachable = unreachable || client.take_unreachable().has_value();
    }, [&] { return !back.empty() || unreachable; });
    return !back.empty() && as_text(back.front()) == "over tls";
  }
  [[nodiscard]] Address target() const { return server->local_address().with_link(Address::Link::datagram); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(websocket_client_test)

BOOST_AUTO_TEST_CASE(wss_verified_against_the_servers_certificate) {
  Tls t;
  BOOST_TEST((t.server->local_address().link() == Address::Link::websocket_secure));
  BOOST_TEST(t.server->local_address().to_string().starts_with("wss://"));
  WebSocketClientConfig c;
  c.secure = true;
  c.ca_file = t.cert.certificate;
  WebSocketClient client(c);
  BOOST_TEST(t.echo(client, t.target()));
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_is_refused_by_default) {
  Tls t;
  WebSocketClientConfig c;
  c.secure = true;
  WebSocketClient client(c);
  BOOST_TEST(!t.echo(client, t.target()));
  BOOST_TEST(client.stats().closed(WebSocketClose::handshake_failed) == 1u);
  BOOST_TEST(client.stats().connections_opened == 0u);
}

BOOST_AUTO_TEST_CASE(a_certificate_for_another_name_is_refused) {
  Tls t;
  WebSocketClientConfig c;
  c.secure = true;
  c.ca_file = t.cert.certificate;
  c.server_name = "game.example.org";  // the certificate names 127.0.0.1, ::1 and localhost
  WebSocketClient client(c);
  BOOST_TEST(!t.echo(client, t.target()));
  BOOST_TEST(client.stats().closed(WebSocketClose::handshake_failed) == 1u);
}

BOOST_AUTO_TEST_CASE(a_certificate_for_the_server_name_is_accepted) {
  Tls t;
  WebSocketClientConfig c;
  c.secure = true;
  c.ca_file = t.cert.certificate;
  c.server_name = "localhost";
  WebSocketClient client(c);
  BOOST_TEST(t.echo(client, t.target()));
}

BOOST_AUTO_TEST_CASE(accept_self_signed_connects_unverified) {
  Tls t;
  WebSocketClientConfig c;
  c.secure = true;
  c.accept_self_signed = true;
  WebSocketClient client(c);
  BOOST_TEST(t.echo(client, t.target()));
}

BOOST_AUTO_TEST_CASE(a_wss_address_asks_for_tls_by_itself) {
  Tls t;
  WebSocketClientConfig c;
  c.accept_self_signed = true;  // secure stays false: the address's link decides
  WebSocketClient client(c);
  BOOST_TEST(t.echo(client, t.target().with_link(Address::Link::websocket_secure)));
}

BOOST_AUTO_TEST_CASE(plain_ws_to_a_tls_server_fails_the_handshake_on_both_sides) {
  Tls t;
  WebSocketClient client;
  BOOST_TEST(!t.echo(client, t.target()));
  BOOST_TEST(client.stats().closed(WebSocketClose::handshake_failed) + client.stats().closed(WebSocketClose::peer_closed) == 1u);
}

BOOST_AUTO_TEST_CASE(unusable_certificate_files_are_refused_at_construction) {
  WebSocketServerConfig c;
  c.certificate_file = "/nonexistent/cert.pem";
  c.private_key_file = "/nonexistent/key.pem";
  try {
    WebSocketServer s(*Address::parse("127.0.0.1:0"), c);
    BOOST_ERROR("a server without its certificate started");
  } catch (const std::system_error& e) {
    BOOST_TEST((e.code() == Error::invalid_config));
    BOOST_TEST(std::string(e.what()).find("certificate_file") != std::string::npos);
  }
  WebSocketServerConfig half;
  half.certificate_file = "cert.pem";
  BOOST_CHECK_THROW(WebSocketServer(*Address::parse("127.0.0.1:0"), half), std::system_error);
  WebSocketClientConfig bad;
  bad.ca_file = "/nonexistent/ca.pem";
  bad.secure = true;
  BOOST_CHECK_THROW(WebSocketClient{bad}, std::system_error);
}

BOOST_AUTO_TEST_SUITE_END()
