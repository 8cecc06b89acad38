// The binary embeds rules/ (include_dir); rebuild whenever a rule file changes.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
