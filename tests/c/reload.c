/* jwtgate_gate_reload: a file gate re-reads its file; a failed reload keeps
 * the configuration that worked. */
#include <unistd.h>

#include "common.h"

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

int main(void) {
    char path[] = "/tmp/jwtgate-reload-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return 2;
    }
    close(fd);
    const char *demo = "examples/demo.jwt";
    FILE *f = fopen(demo, "r");
    char token[4096] = {0};
    size_t len = f ? fread(token, 1, sizeof token - 1, f) : 0;
    if (f) fclose(f);
    while (len > 0 && (token[len - 1] == '\n' || token[len - 1] == '\r')) token[--len] = '\0';
    CHECK(len > 0);

    /* The demo configuration, key in its propkeyloader line, endpoint on. */
    FILE *src = fopen("examples/customer_overrides.properties", "r");
    static char config[65536];
    size_t clen = src ? fread(config, 1, sizeof config - 1, src) : 0;
    if (src) fclose(src);
    config[clen] = '\0';
    /* Only the default profile: the issuer profile's key file path is relative to examples/. */
    char *cut = strstr(config, "yfs.yfs.jwt.https");
    CHECK(cut != NULL);
    if (cut) *cut = '\0';
    strcat(config, "xapirest.servlet.jwt.auth.enabled=true\n");
    write_file(path, config);

    jwtgate_gate *gate = NULL;
    CHECK_CODE(jwtgate_gate_from_file(path, &gate), JWTGATE_OK);
    jwtgate_header h[] = {{"Authorization", 13, NULL, 0}};
    static char bearer[4200];
    snprintf(bearer, sizeof bearer, "Bearer %s", token);
    h[0].value = bearer;
    h[0].value_len = strlen(bearer);
    jwtgate_identity *id = NULL;
    CHECK_CODE(jwtgate_gate_authenticate(gate, "xapirest", h, 1, NULL, NULL, 0, &id), JWTGATE_OK);
    jwtgate_identity_free(id);

    /* Turn the endpoint off in the file: reload picks it up. */
    char *on = strstr(config, "xapirest.servlet.jwt.auth.enabled=true");
    strcpy(on, "xapirest.servlet.jwt.auth.enabled=false\n");
    write_file(path, config);
    CHECK_CODE(jwtgate_gate_reload(gate), JWTGATE_OK);
    CHECK_CODE(jwtgate_gate_authenticate(gate, "xapirest", h, 1, NULL, NULL, 0, &id),
               JWTGATE_ENDPOINT_NOT_ENABLED);

    /* Break the file: reload fails and names the key; the gate keeps working. */
    write_file(path, "yfs.yfs.jwt.verify.keyloader=properties\nyfs.yfs.jwt.verify.clockskew=soon\n");
    CHECK_CODE(jwtgate_gate_reload(gate), JWTGATE_CONFIG_INVALID);
    CHECK(strstr(jwtgate_last_error_message(), "clockskew") != NULL);
    CHECK_CODE(verify_code(gate, token), JWTGATE_OK);

    /* The file disappears: config_io, still serving. */
    unlink(path);
    CHECK_CODE(jwtgate_gate_reload(gate), JWTGATE_CONFIG_IO);
    CHECK_CODE(verify_code(gate, token), JWTGATE_OK);
    jwtgate_gate_free(gate);

    /* A string gate reloads its own copy of the text. */
    gate = test_gate(NULL);
    CHECK_CODE(jwtgate_gate_reload(gate), JWTGATE_OK);
    CHECK_CODE(verify_code(gate, TOK_OK), JWTGATE_OK);
    jwtgate_gate_free(gate);
    return finish("reload");
}
