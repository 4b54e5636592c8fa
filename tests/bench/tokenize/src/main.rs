//! `tokenize-baseline FILE`: reads FILE and runs html5ever's tokenizer over it, dropping every
//! token; prints the token count. What any HTML reader pays at least, to compare the CLI with.
use html5ever::tendril::{ByteTendril, ReadExt};
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::cell::Cell;

struct Count(Cell<u64>);

impl TokenSink for Count {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        drop(token);
        self.0.set(self.0.get() + 1);
        TokenSinkResult::Continue
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: tokenize-baseline FILE");
    let mut bytes = ByteTendril::new();
    std::fs::File::open(&path).and_then(|mut f| f.read_to_tendril(&mut bytes)).expect("cannot read the file");
    let input = BufferQueue::default();
    input.push_back(bytes.try_reinterpret().expect("not UTF-8"));
    let tokenizer = Tokenizer::new(Count(Cell::new(0)), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    println!("{}", tokenizer.sink.0.get());
}
