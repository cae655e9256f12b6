import streamlit as st
st.title("methods")
