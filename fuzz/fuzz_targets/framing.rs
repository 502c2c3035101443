//! Fuzz target: the frame reader and the message classifier over arbitrary bytes.
#![no_main]

use dossier::lsp::framing::{Frame, FrameReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut reader = FrameReader::new(bytes);
        for _ in 0..=bytes.len() + 1 {
            match reader.next_frame().await.expect("in-memory read") {
                Some(Frame::Body(body)) => {
                    let _ = dossier::lsp::message::classify(&body);
                }
                Some(Frame::BadHeader(_)) => {}
                None => return,
            }
        }
        panic!("the reader did not reach the end of its input");
    });
});
