package org.jwtgate.servlet;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jwtgate.Identity;
import org.jwtgate.JwtGate;
import org.jwtgate.JwtGateException;

/**
 * Authenticates every request with jwtgate, configured from {@code customer_overrides.properties}.
 *
 * <p>Init parameters: {@code jwtgate.properties} (path of the properties file, required) and
 * {@code jwtgate.endpoint} (the endpoint whose {@code <endpoint>.servlet.jwt.*} keys apply,
 * default {@code xapirest}). On success the request continues with the {@link Identity} in the
 * attribute {@link #IDENTITY_ATTRIBUTE}, the user as {@code getUserPrincipal()} and
 * {@code getRemoteUser()}, and the token's groups as roles for {@code isUserInRole}. A refusal
 * answers 401 with the RFC 6750 {@code WWW-Authenticate} header (503 while the key source is
 * down, 500 for a configuration fault) and never reaches the servlet.
 */
public class JwtGateFilter implements Filter {
    /** The request attribute holding the verified {@link Identity}. */
    public static final String IDENTITY_ATTRIBUTE = Identity.class.getName();

    private static final Logger LOG = Logger.getLogger(JwtGateFilter.class.getName());

    private JwtGate gate;
    private String endpoint;
    private boolean ownsGate;

    /** For web.xml / annotations: configured through init parameters. */
    public JwtGateFilter() {}

    /** For programmatic registration with a gate the host owns (and closes). */
    public JwtGateFilter(JwtGate gate, String endpoint) {
        this.gate = gate;
        this.endpoint = endpoint;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (gate != null) {
            return;
        }
        String path = config.getInitParameter("jwtgate.properties");
        if (path == null || path.isEmpty()) {
            throw new ServletException("JwtGateFilter: init parameter jwtgate.properties (path of customer_overrides.properties) is required");
        }
        String ep = config.getInitParameter("jwtgate.endpoint");
        endpoint = ep == null || ep.isEmpty() ? "xapirest" : ep;
        try {
            gate = JwtGate.fromFile(path);
            ownsGate = true;
        } catch (JwtGateException e) {
            throw new ServletException("JwtGateFilter: cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(resp instanceof HttpServletResponse)) {
            chain.doFilter(req, resp);
            return;
        }
        HttpServletRequest http = (HttpServletRequest) req;
        HttpServletResponse out = (HttpServletResponse) resp;
        Identity id;
        try {
            id = gate.authenticate(endpoint, headersOf(http), urlOf(http), formTokenOf(http));
        } catch (JwtGateException e) {
            refuse(out, e);
            return;
        }
        http.setAttribute(IDENTITY_ATTRIBUTE, id);
        chain.doFilter(new AuthenticatedRequest(http, id), resp);
    }

    @Override
    public void destroy() {
        if (ownsGate && gate != null) {
            gate.close();
        }
    }

    private static void refuse(HttpServletResponse out, JwtGateException e) throws IOException {
        int status = e.httpStatus();
        if (status >= 500) {
            LOG.log(Level.WARNING, "jwtgate could not decide: {0}", e.getMessage());
        } else {
            LOG.log(Level.FINE, "jwtgate refused a request: {0}", e.getMessage());
        }
        out.setHeader("WWW-Authenticate", e.wwwAuthenticate());
        out.setContentType("text/plain;charset=UTF-8");
        out.setStatus(status);
        // The reason only: the detail is for the server log, not for the client.
        out.getWriter().write(e.reason() + "\n");
    }

    private static List<Map.Entry<String, String>> headersOf(HttpServletRequest http) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            for (String value : Collections.list(http.getHeaders(name))) {
                headers.add(JwtGate.header(name, value));
            }
        }
        return headers;
    }

    private static String urlOf(HttpServletRequest http) {
        StringBuffer url = http.getRequestURL();
        if (http.getQueryString() != null) {
            url.append('?').append(http.getQueryString());
        }
        return url.toString();
    }

    /**
     * The {@code access_token} of a form POST (RFC 6750 2.2), re-encoded as the form body the
     * core parses; the container has already consumed the body for its parameter map.
     */
    private static String formTokenOf(HttpServletRequest http) {
        String type = http.getContentType();
        if (!"POST".equalsIgnoreCase(http.getMethod()) || type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return null;
        }
        String[] values = http.getParameterValues("access_token");
        if (values == null) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        for (String v : values) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append("access_token=").append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** Exposes the verified user as the principal and the token's groups as roles. */
    static final class AuthenticatedRequest extends HttpServletRequestWrapper {
        private final Identity id;
        private final Principal principal;

        AuthenticatedRequest(HttpServletRequest request, Identity id) {
            super(request);
            this.id = id;
            String user = id.user();
            this.principal = () -> user;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return id.user();
        }

        @Override
        public boolean isUserInRole(String role) {
            return id.groups().contains(role);
        }

        @Override
        public String getAuthType() {
            return "BEARER";
        }
    }
}
