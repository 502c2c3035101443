//! Replies to `textDocument/references` that stay small. A place named in most of a large
//! corpus has hundreds of thousands of mentions: sent in one reply, such a list costs
//! gigabytes to encode and helps no one. An editor that asks for partial results
//! (`partialResultToken`) gets every place, in pieces of `MOST_IN_ONE_REPLY`, as `$/progress`
//! notifications; one that does not gets the first `MOST_IN_ONE_REPLY` places of the corpus
//! and a message that says how many were left out.

use serde::{Deserialize, Serialize};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::{Location, MessageType, ProgressToken};

/// The most corpus places in one reply, and in one piece of partial results: more than
/// anyone reads in a list, and small to encode (tower-lsp builds a JSON value tree of each
/// reply, about 2.5 KB per place, before writing it).
pub const MOST_IN_ONE_REPLY: usize = 2_000;

/// `$/progress` with a piece of a references list, as LSP's partial results are sent.
enum PartialResults {}

#[derive(Debug, Serialize, Deserialize)]
struct PartialResultsParams {
    token: ProgressToken,
    value: Vec<Location>,
}

impl Notification for PartialResults {
    type Params = PartialResultsParams;
    const METHOD: &'static str = "$/progress";
}

/// Sends every location under `token`, in pieces; the reply that follows is then empty, as
/// the specification asks.
pub async fn send_in_pieces(client: &Client, token: ProgressToken, locations: Vec<Location>) {
    for piece in locations.chunks(MOST_IN_ONE_REPLY) {
        client
            .send_notification::<PartialResults>(PartialResultsParams {
                token: token.clone(),
                value: piece.to_vec(),
            })
            .await;
    }
}

/// Tells the analyst that a reply holds only the first places of the corpus.
pub async fn say_left_out(client: &Client, shown: usize, left_out: usize) {
    let message = format!(
        "Dossier lists the first {shown} places in the corpus; {left_out} more are not \
         listed (an editor that takes partial results gets them all)"
    );
    client.show_message(MessageType::INFO, message).await;
}
