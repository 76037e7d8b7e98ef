/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where seprov's inputs are: the config loader reads them, the boot fingerprint watches them. One
 * list, so the two cannot drift apart. */
#pragma once

/* Inside the root. */
#define CONFIG_DIR_IMAGE "/usr/lib/seprov/config.d"
#define CONFIG_DIR_ADMIN "/etc/seprov/config.d"

/* Inside the runtime directory (the initrd's /run in the initrd stage), and as users know them. */
#define CONFIG_DIR_RUNTIME "/seprov/config.d"
#define CONFIG_DIR_RUNTIME_SHOWN "/run/seprov/config.d"
#define IGNITION_CONFIG "/ignition.json"
#define IGNITION_CONFIG_SHOWN "/run/ignition.json"

/* Cloud-config user data, where Flatcar's installer and cloud-init keep it; inside the root. */
#define CLOUD_CONFIG_FLATCAR "/var/lib/flatcar-install/user_data"
#define CLOUD_CONFIG_CLOUD_INIT "/var/lib/cloud/instance/user-data.txt"
