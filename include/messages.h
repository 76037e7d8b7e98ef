/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MESSAGE_IDs of seprov's journal events: one per kind, so `journalctl MESSAGE_ID=...` finds them.
 * Never change a published ID; add new ones (generated with systemd-id128 new). */
#pragma once

/* One line per ID, its meaning beside it. */
/* clang-format off */
#define SEPROV_MESSAGE_APPLY_DONE "5432a131ef6e462ea74c51be0e4f1d7f"      /* an apply finished (changed or not) */
#define SEPROV_MESSAGE_APPLY_REFUSED "ac7415f22fce46238542b30222755f7f"   /* bad input or preflight: nothing changed */
#define SEPROV_MESSAGE_APPLY_FAILED "9666e7f1ae9f43fc8496d90390759f70"    /* failed while applying: previous state kept */
#define SEPROV_MESSAGE_MODE "cd5f82ea5bcc46ac9686669323cf307a"            /* the persistent mode */
#define SEPROV_MESSAGE_STORE "c90bcdaa973c442b8ba35f1a69ee183a"           /* the policy store: copy, return, rebuild */
#define SEPROV_MESSAGE_AUDIT "d95f8a5ed240442196cc77092269e674"           /* the audit rules */
#define SEPROV_MESSAGE_DONTAUDIT "879c5708e21e473eb03390d70bdcb434"       /* dontaudit rules on or off */
#define SEPROV_MESSAGE_BOOLEAN "6b3b6a228b044e13bdf6c89920b117db"         /* SELinux booleans */
#define SEPROV_MESSAGE_MODULE "9297e76f1f774fe6a0c317c9fa4dcf2c"          /* policy modules */
#define SEPROV_MESSAGE_FCONTEXT "951054538aa94a1db43b22f2d4fcb00f"        /* file context rules and equivalences */
#define SEPROV_MESSAGE_PREFLIGHT "ef14ea15c559491f8910facf313bffe0"       /* a preflight warning or refusal */
#define SEPROV_MESSAGE_CONFIG_INVALID "943b7c2796b24fc48b73362eeb21d479"  /* an input is invalid */
#define SEPROV_MESSAGE_CONFIG_RECORD "82a9deea6ff84d169b67362da523585f"   /* the record of Ignition's "seprov" key */
#define SEPROV_MESSAGE_RELOAD "30013d0aa0394118b3e3bde83a723ead"          /* live state reloaded: policy, enforce, audit rules */
#define SEPROV_MESSAGE_PERMISSIVE "e871b6c7604e4325a9cb5d320a48b7f3"     /* permissive domains */
#define SEPROV_MESSAGE_PORT "f389c7e5294648e4b6f18907c57e70a9"           /* port labels */
#define SEPROV_MESSAGE_RELABEL "0529c8af705a40c691dfafb18c4a3eec"         /* files relabelled from file_contexts */
/* clang-format on */
