//! Which events a rule's `logsource` is about, as the columns of a Windows event frame
//! (Security-Datasets' JSON exports and `huntbook_datasets::read_evtx` alike) tell them: the
//! `Channel`, and for Sysmon and PowerShell categories the `EventID`. The tables are those of
//! pySigma's Windows pipelines (`sigma.pipelines.common`, `sysmon`).

use crate::rule::LogSource;

/// The events of a logsource: channels (any of them; none means every event, for a rule of
/// the `windows` product alone) and event ids (any of them; none means every event of the
/// channels).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Events {
    pub channels: Vec<&'static str>,
    pub event_ids: Vec<i64>,
}

const SYSMON: &str = "Microsoft-Windows-Sysmon/Operational";
const POWERSHELL: &[&str] = &[
    "Microsoft-Windows-PowerShell/Operational",
    "PowerShellCore/Operational",
];

/// Sysmon's event ids for the generic categories.
const SYSMON_CATEGORIES: &[(&str, &[i64])] = &[
    ("process_creation", &[1]),
    ("file_change", &[2]),
    ("network_connection", &[3]),
    ("sysmon_status", &[4, 16]),
    ("process_termination", &[5]),
    ("driver_load", &[6]),
    ("image_load", &[7]),
    ("create_remote_thread", &[8]),
    ("raw_access_thread", &[9]),
    ("process_access", &[10]),
    ("file_event", &[11]),
    ("registry_add", &[12]),
    ("registry_delete", &[12]),
    ("registry_set", &[13]),
    ("registry_rename", &[14]),
    ("registry_event", &[12, 13, 14]),
    ("create_stream_hash", &[15]),
    ("pipe_created", &[17, 18]),
    ("wmi_event", &[19, 20, 21]),
    ("dns_query", &[22]),
    ("file_delete", &[23, 26]),
    ("clipboard_capture", &[24]),
    ("process_tampering", &[25]),
    ("file_delete_detected", &[26]),
    ("file_block_executable", &[27]),
    ("file_block_shredding", &[28]),
    ("file_executable_detected", &[29]),
    ("sysmon_error", &[255]),
];

/// Windows services and their channels.
const SERVICES: &[(&str, &[&str])] = &[
    ("security", &["Security"]),
    ("application", &["Application"]),
    ("system", &["System"]),
    ("sysmon", &[SYSMON]),
    ("powershell", POWERSHELL),
    ("powershell-classic", &["Windows PowerShell"]),
    (
        "taskscheduler",
        &["Microsoft-Windows-TaskScheduler/Operational"],
    ),
    ("wmi", &["Microsoft-Windows-WMI-Activity/Operational"]),
    ("dns-server", &["DNS Server"]),
    ("dns-server-audit", &["Microsoft-Windows-DNS-Server/Audit"]),
    (
        "dns-server-analytic",
        &["Microsoft-Windows-DNS-Server/Analytical"],
    ),
    (
        "dns-client",
        &["Microsoft-Windows-DNS Client Events/Operational"],
    ),
    (
        "driver-framework",
        &["Microsoft-Windows-DriverFrameworks-UserMode/Operational"],
    ),
    ("ntlm", &["Microsoft-Windows-NTLM/Operational"]),
    ("dhcp", &["Microsoft-Windows-DHCP-Server/Operational"]),
    ("msexchange-management", &["MSExchange Management"]),
    (
        "applocker",
        &[
            "Microsoft-Windows-AppLocker/MSI and Script",
            "Microsoft-Windows-AppLocker/EXE and DLL",
            "Microsoft-Windows-AppLocker/Packaged app-Deployment",
            "Microsoft-Windows-AppLocker/Packaged app-Execution",
        ],
    ),
    (
        "printservice-admin",
        &["Microsoft-Windows-PrintService/Admin"],
    ),
    (
        "printservice-operational",
        &["Microsoft-Windows-PrintService/Operational"],
    ),
    (
        "codeintegrity-operational",
        &["Microsoft-Windows-CodeIntegrity/Operational"],
    ),
    (
        "smbclient-security",
        &["Microsoft-Windows-SmbClient/Security"],
    ),
    (
        "smbclient-connectivity",
        &["Microsoft-Windows-SmbClient/Connectivity"],
    ),
    (
        "smbserver-connectivity",
        &["Microsoft-Windows-SMBServer/Connectivity"],
    ),
    (
        "firewall-as",
        &["Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"],
    ),
    (
        "bits-client",
        &["Microsoft-Windows-Bits-Client/Operational"],
    ),
    (
        "windefend",
        &["Microsoft-Windows-Windows Defender/Operational"],
    ),
    (
        "terminalservices-localsessionmanager",
        &["Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"],
    ),
    (
        "microsoft-servicebus-client",
        &["Microsoft-ServiceBus-Client"],
    ),
    ("ldap", &["Microsoft-Windows-LDAP-Client/Debug"]),
    ("ldap_debug", &["Microsoft-Windows-LDAP-Client/Debug"]),
    (
        "security-mitigations",
        &[
            "Microsoft-Windows-Security-Mitigations/Kernel Mode",
            "Microsoft-Windows-Security-Mitigations/User Mode",
        ],
    ),
    (
        "diagnosis-scripted",
        &["Microsoft-Windows-Diagnosis-Scripted/Operational"],
    ),
    ("shell-core", &["Microsoft-Windows-Shell-Core/Operational"]),
    ("openssh", &["OpenSSH/Operational"]),
    (
        "appxdeployment-server",
        &["Microsoft-Windows-AppXDeploymentServer/Operational"],
    ),
    (
        "appxpackaging-om",
        &["Microsoft-Windows-AppxPackaging/Operational"],
    ),
    (
        "appmodel-runtime",
        &["Microsoft-Windows-AppModel-Runtime/Admin"],
    ),
    ("capi2", &["Microsoft-Windows-CAPI2/Operational"]),
    (
        "certificateservicesclient-lifecycle-system",
        &["Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"],
    ),
    ("lsa-server", &["Microsoft-Windows-LSA/Operational"]),
    (
        "iis-configuration",
        &["Microsoft-IIS-Configuration/Operational"],
    ),
    ("vhdmp", &["Microsoft-Windows-VHDMP/Operational"]),
];

/// PowerShell's categories: (category, channels, event id).
const POWERSHELL_CATEGORIES: &[(&str, &[&str], i64)] = &[
    ("ps_module", POWERSHELL, 4103),
    ("ps_script", POWERSHELL, 4104),
    ("ps_classic_start", &["Windows PowerShell"], 400),
    ("ps_classic_provider_start", &["Windows PowerShell"], 600),
    ("ps_classic_script", &["Windows PowerShell"], 800),
];

/// The events a logsource is about, or why huntbook cannot tell.
pub(crate) fn events(source: &LogSource) -> Result<Events, String> {
    match source.product.as_deref() {
        Some(p) if p.eq_ignore_ascii_case("windows") => {}
        Some(p) => {
            return Err(format!(
                "logsource product `{p}`: huntbook runs rules on Windows event logs"
            ))
        }
        None if source.category.is_none() && source.service.is_none() => {
            return Err("no logsource: the rule does not say which events it is about".into())
        }
        None => {}
    }
    let mut events = match source.category.as_deref() {
        None => None,
        Some(category) => {
            if let Some((_, ids)) = SYSMON_CATEGORIES.iter().find(|(c, _)| *c == category) {
                Some(Events {
                    channels: vec![SYSMON],
                    event_ids: ids.to_vec(),
                })
            } else if let Some((_, channels, id)) =
                POWERSHELL_CATEGORIES.iter().find(|(c, ..)| *c == category)
            {
                Some(Events {
                    channels: channels.to_vec(),
                    event_ids: vec![*id],
                })
            } else {
                return Err(format!(
                    "logsource category `{category}`: no Windows channel records it (Sysmon \
                     and PowerShell categories are mapped)"
                ));
            }
        }
    };
    if let Some(service) = source.service.as_deref() {
        let Some((_, channels)) = SERVICES.iter().find(|(s, _)| *s == service) else {
            return Err(format!(
                "logsource service `{service}`: its Windows channel is not known to huntbook"
            ));
        };
        match &mut events {
            // A category and a service: the category's events of the service's channels.
            Some(e) => e.channels.retain(|c| channels.contains(c)),
            None => {
                events = Some(Events {
                    channels: channels.to_vec(),
                    event_ids: Vec::new(),
                })
            }
        }
    }
    match events {
        Some(e) if e.channels.is_empty() => Err(format!(
            "logsource {source}: the category and service name no common channel"
        )),
        Some(e) => Ok(e),
        // The product alone (keyword rules such as Mimikatz's): every Windows event, as
        // pySigma's Windows pipelines add no condition for it.
        None => Ok(Events {
            channels: Vec::new(),
            event_ids: Vec::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(category: Option<&str>, service: Option<&str>) -> LogSource {
        LogSource {
            product: Some("windows".into()),
            category: category.map(Into::into),
            service: service.map(Into::into),
        }
    }

    #[test]
    fn categories_and_services_give_channels_and_event_ids() {
        let e = events(&source(Some("process_creation"), None)).unwrap();
        assert_eq!((e.channels, e.event_ids), (vec![SYSMON], vec![1]));
        let e = events(&source(Some("registry_event"), None)).unwrap();
        assert_eq!(e.event_ids, [12, 13, 14]);
        let e = events(&source(None, Some("security"))).unwrap();
        assert_eq!((e.channels, e.event_ids), (vec!["Security"], vec![]));
        let e = events(&source(Some("ps_script"), None)).unwrap();
        assert_eq!(e.event_ids, [4104]);
        assert!(events(&source(Some("file_access"), None))
            .unwrap_err()
            .contains("file_access"));
        assert!(events(&source(None, Some("nope")))
            .unwrap_err()
            .contains("nope"));
        let linux = LogSource {
            product: Some("linux".into()),
            ..Default::default()
        };
        assert!(events(&linux).unwrap_err().contains("linux"));
        // The product alone: every event.
        let e = events(&source(None, None)).unwrap();
        assert_eq!((e.channels, e.event_ids), (vec![], vec![]));
    }
}
