//! The Spark Connect faults that need no server, with the whole message a notebook prints.

use huntbook_spark::Spark;

fn message(remote: &str) -> String {
    match Spark::connect(remote) {
        Ok(_) => panic!("{remote} connected"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_address_that_is_not_spark_connect_says_what_is_expected() {
    let text = message("http://cluster:15002");
    assert!(
        text.starts_with("invalid Spark Connect address http://cluster:15002: "),
        "{text}"
    );
    assert!(
        text.ends_with("(expected sc://host:port, optionally followed by ;token=...;use_ssl=true)"),
        "{text}"
    );
}

#[test]
fn a_closed_port_is_named_and_no_token_is_printed() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let text = message(&format!("sc://127.0.0.1:{port}/;token=secret"));
    assert!(
        text.starts_with("cannot reach the Spark Connect server sc://127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.ends_with("(is the server running, and is the port right?)"),
        "{text}"
    );
    assert!(!text.contains("secret"), "{text}");
}
