/*
 * gen_protocol_doc.c — rewrites the command list of docs/protocol.md (the
 * lines between "<!-- commands:begin -->" and "<!-- commands:end -->")
 * from the command table (`make docs`): reads the file named by argv[1],
 * prints it with the section replaced to stdout.
 */
#include "ctl/ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEGIN "<!-- commands:begin -->\n"
#define END "<!-- commands:end -->\n"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_protocol_doc docs/protocol.md\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    char *text = NULL;
    size_t cap = 0, len = 0, got;
    do {
        if (len + 4096 > cap && !(text = realloc(text, cap = cap * 2 + 8192))) return 1;
        got = fread(text + len, 1, cap - len - 1, in);
        len += got;
    } while (got > 0);
    fclose(in);
    text[len] = '\0';
    char *b = strstr(text, BEGIN), *e = b ? strstr(b, END) : NULL;
    if (!e) {
        fprintf(stderr, "%s: no %s ... %s section\n", argv[1], "<!-- commands:begin -->",
                "<!-- commands:end -->");
        return 1;
    }
    fwrite(text, 1, (size_t)(b - text) + strlen(BEGIN), stdout);
    if (ctl_commands_doc(stdout) != 0) return 1;
    fputs(e, stdout);
    free(text);
    return fflush(stdout) == 0 ? 0 : 1;
}
