package org.jwtgate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jwtgate.Identity;
import org.jwtgate.NativeLibrary;

/** The filter in a real embedded Jetty on 127.0.0.1, driven with real HTTP requests. */
class JwtGateFilterTest {
    private static Server server;
    private static URI base;
    private static String demoToken;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Echoes what the filter established, so the test can see it. */
    public static final class WhoAmI extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Identity id = (Identity) req.getAttribute(JwtGateFilter.IDENTITY_ATTRIBUTE);
            resp.setContentType("text/plain");
            resp.getWriter().write("principal=" + req.getUserPrincipal().getName()
                    + " remote=" + req.getRemoteUser()
                    + " email=" + id.email()
                    + " admins=" + req.isUserInRole("admins")
                    + " auditors=" + req.isUserInRole("auditors"));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("jwtgate.repo.root", "../..")).toAbsolutePath().normalize();
        demoToken = Files.readString(root.resolve("examples/demo.jwt")).trim();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        FilterHolder filter = new FilterHolder(JwtGateFilter.class);
        filter.setInitParameter("jwtgate.properties", root.resolve("examples/customer_overrides.properties").toString());
        filter.setInitParameter("jwtgate.endpoint", "xapirest");
        ctx.addFilter(filter, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new WhoAmI()), "/api/*");
        server.setHandler(ctx);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void library_was_extracted_from_the_jar() {
        assertTrue(NativeLibrary.loadedFrom().startsWith("resource /native/"), NativeLibrary.loadedFrom());
    }

    @Test
    void bearer_token_reaches_the_servlet_as_principal_identity_and_roles() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/orders"))
                .header("Authorization", "Bearer " + demoToken));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("principal=testuser remote=testuser email=test@foo.com admins=true auditors=false", r.body());
    }

    @Test
    void token_in_the_configured_cookie_is_accepted() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/orders"))
                .header("Cookie", "JSESSIONID=abc; jwtToken=" + demoToken));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("principal=testuser"), r.body());
    }

    @Test
    void token_in_a_form_post_is_accepted() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/orders"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + demoToken)));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void no_token_is_401_with_a_bare_bearer_challenge() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/orders")));
        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"jwtgate\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("token_missing\n", r.body());
    }

    @Test
    void tampered_token_is_401_invalid_token_and_never_reaches_the_servlet() throws Exception {
        String tampered = demoToken.substring(0, demoToken.length() - 6) + "AAAAAA";
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/orders"))
                .header("Authorization", "Bearer " + tampered));
        assertEquals(401, r.statusCode());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.contains("error=\"invalid_token\"") && challenge.contains("signature_invalid"), challenge);
        assertEquals("signature_invalid\n", r.body());
    }

    @Test
    void two_different_tokens_are_refused() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("api/orders"))
                .header("Authorization", "Bearer " + demoToken)
                .header("Cookie", "jwtToken=x.y.z"));
        assertEquals(401, r.statusCode());
        assertEquals("multiple_tokens\n", r.body());
    }
}
