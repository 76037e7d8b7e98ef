/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where seprov's inputs are: the config loader reads them, the boot fingerprint watches them. One
 * list, so the two cannot drift apart. */
#pragma once

/* Inside the root. */
#define CONFIG_DIR_IMAGE "/usr/lib/seprov/config.d"
#define CONFIG_DIR_ADMIN "/etc/seprov/config.d"
/* The "seprov" key of the Ignition config, recorded on the boot Ignition ran (Ignition runs once;
 * what it was asked for stays in force on every later boot, as the files it wrote do). */
#define IGNITION_RECORD "/etc/seprov/ignition.json"

/* Inside the runtime directory (the initrd's /run in the initrd stage), and as users know them. */
#define CONFIG_DIR_RUNTIME       "/seprov/config.d"
#define CONFIG_DIR_RUNTIME_SHOWN "/run/seprov/config.d"
#define IGNITION_CONFIG          "/ignition.json"
#define IGNITION_CONFIG_SHOWN    "/run/ignition.json"

/* Cloud-config user data, where Flatcar's installer and cloud-init keep it; inside the root. */
#define CLOUD_CONFIG_FLATCAR    "/var/lib/flatcar-install/user_data"
#define CLOUD_CONFIG_CLOUD_INIT "/var/lib/cloud/instance/user-data.txt"

/* Where Ignition fetched its config from, for the sources seprov can read again locally: Ignition's
 * cache (/run/ignition.json) is re-serialised from its own schema and loses the "seprov" key. These
 * are paths of the running system (the initrd's own in the initrd stage), not of the root. */
#define IGNITION_SYSTEM_CONFIG       "/usr/lib/ignition/user.ign"
#define IGNITION_QEMU_FW_CFG         "/sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw"
#define IGNITION_QEMU_FW_CFG_FLATCAR "/sys/firmware/qemu_fw_cfg/by_name/opt/org.flatcar-linux/config/raw"
