//! A TLS server on 127.0.0.1 with a self-signed certificate (tests/integration/fixtures, made
//! once with openssl for 127.0.0.1 and localhost, valid for a century; the key is a test key).
//! It counts the handshakes it is offered, to prove the client does not retry a refused one.

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct SelfSigned {
    pub addr: SocketAddr,
    handshakes: Arc<AtomicUsize>,
}

impl SelfSigned {
    pub fn start() -> Self {
        let cert =
            CertificateDer::from(include_bytes!("../fixtures/self-signed.cert.der").to_vec());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            include_bytes!("../fixtures/self-signed.key.der").to_vec(),
        ));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("certificate");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let handshakes = Arc::new(AtomicUsize::new(0));
        let count = handshakes.clone();
        // Serves until the test process ends; each connection on its own thread.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                    let Ok(conn) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut tls = rustls::StreamOwned::new(conn, &mut stream);
                    // The client refuses the certificate: the read ends with its alert.
                    let mut buf = [0u8; 1024];
                    let _ = tls.read(&mut buf);
                });
            }
        });
        SelfSigned { addr, handshakes }
    }

    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}/v1", self.addr.port())
    }

    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}
