/*
 * gen_settings_doc.c — prints docs/settings.md from the settings registry
 * (`make docs`).
 */
#include "engine/engine.h"

#include <stdio.h>

int main(void)
{
    return eng_settings_doc(stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
}
